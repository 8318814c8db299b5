using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Webhooks.Benchmarks;

/// <summary>
/// Checks sampled deliveries the way a listener would, independently of the product's code: the Standard Webhooks
/// HMAC with the listener's secret, and <c>N-Signature</c> (RSA PKCS#1 v1.5, SHA-256) with the tenant's public key.
/// </summary>
internal static class SignatureCheck
{
    /// <summary>Null when both signatures hold; otherwise what is wrong.</summary>
    public static string? Verify(SampleDelivery sample, string secret, Tenant tenant)
    {
        if (!sample.Headers.TryGetValue("webhook-signature", out var signatures)
            || !sample.Headers.TryGetValue("webhook-timestamp", out var timestamp)
            || !sample.Headers.TryGetValue("N-Signature", out var rsaSignature))
        {
            return $"delivery {sample.EventId} lacks a signature header";
        }

        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret);
        var signed = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{sample.EventId}.{timestamp}.")).Concat(sample.Body).ToArray();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
        if (!signatures.Split(' ').Contains(expected, StringComparer.Ordinal))
        {
            return $"delivery {sample.EventId}: webhook-signature does not verify";
        }

        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = Base64Url(tenant.PublicKeyModulus), Exponent = Base64Url(tenant.PublicKeyExponent) });
        return rsa.VerifyData(sample.Body, Base64Url(rsaSignature), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            ? null
            : $"delivery {sample.EventId}: N-Signature does not verify";
    }

    private static byte[] Base64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
