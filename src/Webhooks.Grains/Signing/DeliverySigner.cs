using System.Globalization;
using Webhooks.Abstractions.Listeners;
using Webhooks.Grains.Delivery;

namespace Webhooks.Grains.Signing;

/// <summary>
/// One listener's signer: turns a stored delivery into the complete outgoing request, its body signed as the listener
/// chose (<see cref="ListenerSignatures"/>) — the tenant's RSA <c>N-Signature</c> (shared by every listener of the
/// event, <see cref="SignedBodies"/>), the listener's own Standard Webhooks HMAC made with every secret that signs now
/// (<see cref="ListenerKeys"/>), or both. A signature the listener does not take is not computed.
/// </summary>
public sealed class DeliverySigner(SignedBodies bodies, SecretProtector protector, TimeProvider time)
{
    /// <summary>The seed vendor's signature: the tenant's RSA key over the body, base64.</summary>
    public const string SignatureHeader = "N-Signature";

    /// <summary>The id of the key that made <see cref="SignatureHeader"/> (its RFC 7638 thumbprint, as in the tenant's JWKS).</summary>
    public const string SignatureKeyIdHeader = "N-Signature-Key-Id";

    /// <summary>Standard Webhooks: the event's id, which a listener de-duplicates on.</summary>
    public const string IdHeader = "webhook-id";

    /// <summary>Standard Webhooks: when the attempt was signed, in Unix seconds.</summary>
    public const string TimestampHeader = "webhook-timestamp";

    /// <summary>Standard Webhooks: <c>v1,</c> and the HMAC of id, timestamp and body, once per signing secret.</summary>
    public const string HmacHeader = "webhook-signature";

    private ListenerKeys? _keysFor;
    private List<byte[]>? _hmacKeys;

    /// <summary>The request for attempt number <paramref name="attempt"/> of <paramref name="delivery"/>, whose event must be in memory.</summary>
    /// <param name="listenerId">The listener the request is for.</param>
    /// <param name="tenantId">The listener's tenant, whose RSA key signs the body.</param>
    /// <param name="target">The listener's URI.</param>
    /// <param name="keys">The listener's signing secrets, as stored.</param>
    /// <param name="own">The listener's own headers, in clear (none of them a name the dispatcher sets).</param>
    /// <param name="signatures">Which signatures the listener takes; <c>webhook-id</c> and <c>webhook-timestamp</c> go either way.</param>
    /// <param name="delivery">The stored delivery, with its event's content.</param>
    /// <param name="attempt">The attempt's number, from 1; it is part of the body (<c>callAttempt</c>).</param>
    public async Task<DeliveryRequest> SignAsync(string listenerId, string tenantId, Uri target, ListenerKeys keys, IReadOnlyDictionary<string, string> own, ListenerSignatures signatures, DeliveryRecord delivery, int attempt)
    {
        if (!delivery.HasContent)
        {
            throw new InvalidOperationException("The delivery's event is not in memory.");
        }

        var headers = new List<KeyValuePair<string, string>>(5 + own.Count);
        byte[] body;
        if (signatures.IncludesNSignature())
        {
            var signed = await bodies.GetAsync(tenantId, delivery, attempt);
            body = signed.Body;
            headers.Add(new(SignatureHeader, signed.Signature));
            headers.Add(new(SignatureKeyIdHeader, signed.KeyId));
        }
        else
        {
            body = await bodies.GetUnsignedAsync(tenantId, delivery, attempt);
        }

        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        headers.Add(new(IdHeader, delivery.EventId));
        headers.Add(new(TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture)));
        if (signatures.IncludesStandard())
        {
            headers.Add(new(HmacHeader, StandardWebhookSignature.Compute(HmacKeys(keys), delivery.EventId, timestamp, body)));
        }

        headers.AddRange(own);
        return new DeliveryRequest(listenerId, target, body, headers);
    }

    /// <summary>
    /// The HMAC keys that sign now: the current secret, and the previous one while a rotation's overlap lasts. Opened
    /// once per set of stored secrets: a new secret, or the overlap's end, opens them again.
    /// </summary>
    private List<byte[]> HmacKeys(ListenerKeys keys)
    {
        var previousLive = keys.Previous is not null && keys.PreviousExpiresAt > time.GetUtcNow();
        if (_hmacKeys is null || !ReferenceEquals(_keysFor, keys) || (_hmacKeys.Count > 1 && !previousLive))
        {
            _hmacKeys = [ListenerSecrets.KeyBytes(protector.UnprotectListenerSecret(keys.Current))];
            if (previousLive)
            {
                _hmacKeys.Add(ListenerSecrets.KeyBytes(protector.UnprotectListenerSecret(keys.Previous!)));
            }

            _keysFor = keys;
        }

        return _hmacKeys;
    }
}

/// <summary>A listener's signing secrets as stored (protected): the current one, and the previous one with the end of its overlap.</summary>
/// <param name="Current">The protected current secret.</param>
/// <param name="Previous">The protected previous secret, during a rotation.</param>
/// <param name="PreviousExpiresAt">When the previous secret stops signing.</param>
public sealed record ListenerKeys(string Current, string? Previous, DateTimeOffset? PreviousExpiresAt);
