using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Webhooks.Testing;

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

/// <summary>What the server tests read of the deliveries a <see cref="TestReceiver"/> received.</summary>
internal static class ReceivedDeliveries
{
    extension(TestReceiver receiver)
    {
        /// <summary>Every delivery's JSON body, in arrival order.</summary>
        public IReadOnlyList<JsonElement> Received => [.. receiver.Requests.Select(r => r.Json)];

        /// <summary>Every delivery with the <c>listener</c> named in the URI it was sent to (null when none was).</summary>
        public IReadOnlyList<(string? Listener, JsonElement Body)> Deliveries => [.. receiver.Requests.Select(r => (r.Listener, r.Json))];

        /// <summary>Every delivery as it arrived: its signature headers and the exact body they sign.</summary>
        public IReadOnlyList<SignedDelivery> Signed => [.. receiver.Requests.Select(r => new SignedDelivery(
            r.Listener, Header(r, "webhook-id"), Header(r, "webhook-timestamp"), Header(r, "webhook-signature"), Header(r, "N-Signature"), Encoding.UTF8.GetString(r.Body)))];
    }

    private static string Header(ReceivedRequest request, string name) => request.Headers.GetValueOrDefault(name) ?? "";
}
