using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Webhooks.Abstractions.Listeners;

namespace Webhooks.Benchmarks;

/// <summary>
/// Checks sampled deliveries the way a listener would, independently of the product's code: the Standard Webhooks
/// HMAC with the listener's secret, and <c>N-Signature</c> (RSA PKCS#1 v1.5, SHA-256) with the tenant's public key,
/// each when the listeners take it (<c>--signatures</c>); a delivery must carry exactly those.
/// </summary>
internal static class SignatureCheck
{
    /// <summary>Whether a delivery's signature headers are exactly the chosen ones: none missing, none extra.</summary>
    public static bool CarriesExactly(ListenerSignatures chosen, bool hasRsa, bool hasHmac) =>
        hasRsa == chosen.IncludesNSignature() && hasHmac == chosen.IncludesStandard();

    /// <summary>Null when the delivery carries exactly <paramref name="chosen"/> and each holds; otherwise what is wrong.</summary>
    public static string? Verify(SampleDelivery sample, ListenerSignatures chosen, string secret, Tenant tenant)
    {
        var hasHmac = sample.Headers.TryGetValue("webhook-signature", out var signatures);
        var hasRsa = sample.Headers.TryGetValue("N-Signature", out var rsaSignature);
        if (!CarriesExactly(chosen, hasRsa, hasHmac) || !sample.Headers.TryGetValue("webhook-timestamp", out var timestamp))
        {
            return $"delivery {sample.EventId} does not carry exactly the chosen signature headers";
        }

        return (hasHmac ? Hmac(sample, signatures!, timestamp, secret) : null) ?? (hasRsa ? Rsa(sample, rsaSignature!, tenant) : null);
    }

    private static string? Hmac(SampleDelivery sample, string signatures, string timestamp, string secret)
    {
        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret);
        var signed = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{sample.EventId}.{timestamp}.")).Concat(sample.Body).ToArray();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
        if (!signatures.Split(' ').Contains(expected, StringComparer.Ordinal))
        {
            return $"delivery {sample.EventId}: webhook-signature does not verify";
        }

        return null;
    }

    private static string? Rsa(SampleDelivery sample, string rsaSignature, Tenant tenant)
    {
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
