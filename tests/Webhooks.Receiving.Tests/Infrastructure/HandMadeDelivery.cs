using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using StandardWebhooks;

namespace Webhooks.Receiving.Tests.Infrastructure;

/// <summary>
/// A delivery built by the test, shaped as the server sends one, and signed by means independent of the receiver: the
/// StandardWebhooks package for <c>webhook-signature</c>, the platform's RSA for <c>N-Signature</c>.
/// </summary>
public sealed record HandMadeDelivery(string EventId, long Timestamp, byte[] Body)
{
    /// <summary>A fresh <c>entitlement.created</c> delivery, signed <paramref name="age"/> ago (negative: in the future).</summary>
    public static HandMadeDelivery Create(TimeSpan age = default, int callAttempt = 1, string? eventId = null)
    {
        eventId ??= "evt_" + Guid.NewGuid().ToString("N");
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            eventId,
            eventDate = "2026-01-02T03:04:05.678Z",
            eventCode = "entitlement.created",
            resourceId = "ent_42",
            callAttempt,
            payload = new { seats = 5 },
        });
        return new HandMadeDelivery(eventId, (DateTimeOffset.UtcNow - age).ToUnixTimeSeconds(), body);
    }

    /// <summary>The Standard Webhooks signature of this delivery with <paramref name="secret"/>: <c>v1,</c> and base64.</summary>
    public string Hmac(string secret) =>
        new StandardWebhook(secret).Sign(EventId, DateTimeOffset.FromUnixTimeSeconds(Timestamp), Encoding.UTF8.GetString(Body));

    /// <summary>The <c>N-Signature</c> of this delivery's body with <paramref name="key"/>.</summary>
    public string Rsa(RSA key) => Convert.ToBase64String(key.SignData(Body, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    /// <summary>
    /// The POST a server would send: the three Standard Webhooks headers, and <c>N-Signature</c> (with
    /// <c>N-Signature-Key-Id</c>) when given. <paramref name="sentBody"/> replaces the signed body on the wire.
    /// </summary>
    public HttpRequestMessage Request(Uri target, string? signature, string? rsaSignature = null, string? keyId = null, byte[]? sentBody = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(sentBody ?? Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("webhook-id", EventId);
        request.Headers.Add("webhook-timestamp", Timestamp.ToString(CultureInfo.InvariantCulture));
        Add(request, "webhook-signature", signature);
        Add(request, "N-Signature", rsaSignature);
        Add(request, "N-Signature-Key-Id", keyId);
        return request;
    }

    private static void Add(HttpRequestMessage request, string name, string? value)
    {
        if (value is not null)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }
}
