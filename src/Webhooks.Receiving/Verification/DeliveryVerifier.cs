using System.Buffers;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Webhooks.Receiving.Keys;
using Webhooks.Receiving.Replay;

namespace Webhooks.Receiving.Verification;

/// <summary>
/// Verifies one delivery, cheapest checks first: the headers, the timestamp's distance from now, the exact body bytes
/// against each required signature, then the body as an event whose id is the header's, then replay. Nothing is
/// recorded for replay until the signatures pass, so forged requests cannot crowd out real ones.
/// </summary>
internal sealed class DeliveryVerifier
{
    private readonly WebhookReceiverOptions _options;
    private readonly WebhookSignatures _required;
    private readonly StandardSignature _standard;
    private readonly RsaPublicKey? _pinnedKey;
    private readonly KeySetCache _keySet;
    private readonly IReplayCache _replay;

    public DeliveryVerifier(IOptions<WebhookReceiverOptions> options, KeySetCache keySet, IReplayCache replay)
    {
        _options = options.Value;
        _required = _options.EffectiveSignatures;
        _standard = new StandardSignature([.. _options.Secrets.Select(s => StandardSignature.KeyOf(s)!)]);
        _pinnedKey = _options.PublicKeyModulus is { } modulus
            ? new RsaPublicKey(null, System.Buffers.Text.Base64Url.DecodeFromChars(modulus), System.Buffers.Text.Base64Url.DecodeFromChars(_options.PublicKeyExponent))
            : null;
        _keySet = keySet;
        _replay = replay;
    }

    /// <summary>The verified event, or why the request is refused.</summary>
    public async Task<(WebhookEvent? Event, Rejection? Rejection)> VerifyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var id = Header(request, DeliveryHeaders.Id);
        var timestampText = Header(request, DeliveryHeaders.Timestamp);
        var signature = Header(request, DeliveryHeaders.Signature);
        var rsaSignature = Header(request, DeliveryHeaders.RsaSignature);
        List<string> missing = [];
        foreach (var (name, value, needed) in new[]
        {
            (DeliveryHeaders.Id, id, true),
            (DeliveryHeaders.Timestamp, timestampText, true),
            (DeliveryHeaders.Signature, signature, _required.HasFlag(WebhookSignatures.Standard)),
            (DeliveryHeaders.RsaSignature, rsaSignature, _required.HasFlag(WebhookSignatures.Rsa)),
        })
        {
            if (needed && value is null)
            {
                missing.Add(name);
            }
        }

        if (missing.Count > 0)
        {
            return Refuse(RejectionReason.MissingHeader, $"The request has no {string.Join(", ", missing)} header.");
        }

        if (!long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return Refuse(RejectionReason.InvalidTimestamp, $"{DeliveryHeaders.Timestamp} is not a number of Unix seconds.");
        }

        var timestamp = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var skew = timestamp - _options.TimeProvider.GetUtcNow();
        if (skew.Duration() > _options.TimestampTolerance)
        {
            return Refuse(RejectionReason.TimestampOutsideTolerance,
                $"{DeliveryHeaders.Timestamp} is {(int)skew.Duration().TotalSeconds} s in the {(skew < TimeSpan.Zero ? "past" : "future")}; at most {(int)_options.TimestampTolerance.TotalSeconds} s is accepted.");
        }

        var body = await ReadBodyAsync(request, _options.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Refuse(RejectionReason.BodyTooLarge, $"The body is larger than {_options.MaxBodyBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
        }

        if (_required.HasFlag(WebhookSignatures.Standard) && !_standard.Verify(id!, timestampText!, body, signature!))
        {
            return Refuse(RejectionReason.SignatureMismatch, $"No {DeliveryHeaders.Signature} value is this request's signature with a secret this receiver has.");
        }

        string? keyId = null;
        if (_required.HasFlag(WebhookSignatures.Rsa))
        {
            var (usedKey, rejection) = await VerifyRsaAsync(request, body, rsaSignature!, cancellationToken);
            if (rejection is not null)
            {
                return (null, rejection);
            }

            keyId = usedKey;
        }

        if (DeliveryBodyReader.Read(body, timestamp, keyId, out var error) is not { } received)
        {
            return Refuse(RejectionReason.InvalidBody, error, StatusCodes.Status400BadRequest);
        }

        if (!string.Equals(received.EventId, id, StringComparison.Ordinal))
        {
            return Refuse(RejectionReason.IdMismatch, $"{DeliveryHeaders.Id} is not the body's eventId.");
        }

        // A retry of the same event is a new attempt (callAttempt is in the signed body), so only a copy is refused.
        var replayKey = $"{received.EventId}\n{received.CallAttempt.ToString(CultureInfo.InvariantCulture)}";
        if (!await _replay.TryRecordAsync(replayKey, timestamp + _options.TimestampTolerance, cancellationToken))
        {
            return Refuse(RejectionReason.Replay, $"Attempt {received.CallAttempt} of event {received.EventId} was already received.");
        }

        return (received, null);
    }

    private async Task<(string? KeyId, Rejection? Rejection)> VerifyRsaAsync(HttpRequest request, byte[] body, string signature, CancellationToken cancellationToken)
    {
        IReadOnlyList<RsaPublicKey> candidates;
        if (_pinnedKey is not null)
        {
            candidates = [_pinnedKey];
        }
        else
        {
            var keyId = Header(request, DeliveryHeaders.RsaKeyId);
            var lookup = await _keySet.FindAsync(keyId, cancellationToken);
            if (!lookup.Available)
            {
                return (null, new Rejection(RejectionReason.KeySetUnavailable, "The tenant's key set could not be fetched; try again later.", StatusCodes.Status503ServiceUnavailable));
            }

            if (lookup.Keys.Count == 0)
            {
                return (null, new Rejection(RejectionReason.UnknownSigningKey, $"The tenant's key set has no key {keyId}."));
            }

            candidates = lookup.Keys;
        }

        foreach (var key in candidates)
        {
            if (key.Verifies(body, signature))
            {
                return (key.Id, null);
            }
        }

        return (null, new Rejection(RejectionReason.RsaSignatureMismatch, $"{DeliveryHeaders.RsaSignature} does not verify the body with the tenant's key."));
    }

    /// <summary>The body's exact bytes, or null when it is longer than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var content = new MemoryStream((int)(request.ContentLength ?? 4096));
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (content.Length + read > limit)
                {
                    return null;
                }

                content.Write(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return content.ToArray();
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) && values is [{ Length: > 0 } value] ? value : null;

    private static (WebhookEvent?, Rejection?) Refuse(RejectionReason reason, string detail, int statusCode = StatusCodes.Status401Unauthorized) =>
        (null, new Rejection(reason, detail, statusCode));
}
