using System.Security.Cryptography;
using System.Text;

namespace Webhooks.Server.Tests;

/// <summary>One delivery's signature headers and body, checked the way a listener checks them.</summary>
internal sealed record SignedDelivery(string? Listener, string Id, string Timestamp, string WebhookSignature, string NSignature, string Body)
{
    /// <summary>Whether one of the <c>webhook-signature</c> entries is the HMAC of this delivery under <paramref name="secret"/> (<c>whsec_…</c>).</summary>
    public bool HasValidWebhookSignature(string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{Id}.{Timestamp}.{Body}")));
        return WebhookSignature.Split(' ').Contains(expected, StringComparer.Ordinal);
    }

    /// <summary>Whether <c>N-Signature</c> verifies with the tenant's public key (modulus base64url, exponent base64url).</summary>
    public bool HasValidNSignature(string modulus, string exponent)
    {
        using var rsa = RSA.Create(new RSAParameters { Modulus = Base64Url(modulus), Exponent = Base64Url(exponent) });
        return rsa.VerifyData(Encoding.UTF8.GetBytes(Body), Convert.FromBase64String(NSignature), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    private static byte[] Base64Url(string value) => System.Buffers.Text.Base64Url.DecodeFromChars(value);
}
