using System.Globalization;
using System.Security.Cryptography;
using Webhooks.Abstractions.Listeners;
using Webhooks.Grains.Delivery;

namespace Webhooks.Grains.Signing;

/// <summary>
/// The forged request sent after a listener's test event, to find out whether the listener checks signatures: the same
/// body, the listener's own headers, but each signature the listener takes (<c>N-Signature</c>, <c>webhook-signature</c>,
/// or both, as the real request carried them) replaced by one that no key made, under a
/// <c>webhook-id</c> of its own (so a listener de-duplicating on it does not answer from its cache) and marked with
/// <see cref="Header"/> so the listener's logs tell it apart.
/// </summary>
public static class SignatureProbe
{
    /// <summary>The header that marks the probe.</summary>
    public const string Header = "webhook-probe";

    /// <summary>The value of <see cref="Header"/>: what the probe is.</summary>
    public const string Value = "invalid-signature";

    /// <summary>Prefix of the probe's <c>webhook-id</c>; it is never an event's id.</summary>
    public const string IdPrefix = "probe_";

    /// <summary>
    /// The probe's own circuit-breaker key: a refusal is the answer the probe hopes for, and must not count as the
    /// listener failing (<see cref="DeliveryRequest.ListenerId"/> keys the sender's pipelines).
    /// </summary>
    public const string PipelineSuffix = "#probe";

    private const int RsaSignatureBytes = 256;
    private const int HmacBytes = 32;

    /// <summary>The forged copy of <paramref name="real"/>, the request of the test event's attempt.</summary>
    /// <param name="real">The signed request the listener got.</param>
    /// <param name="probeId">The probe's <c>webhook-id</c>.</param>
    /// <param name="timestamp">Now, in Unix seconds: a listener refusing an old timestamp must not refuse the probe for that.</param>
    public static DeliveryRequest Forge(DeliveryRequest real, string probeId, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(real);
        var headers = new List<KeyValuePair<string, string>>(real.Headers.Count + 1);
        foreach (var (name, value) in real.Headers)
        {
            headers.Add(name switch
            {
                DeliverySigner.SignatureHeader => new(name, Convert.ToBase64String(RandomNumberGenerator.GetBytes(RsaSignatureBytes))),
                DeliverySigner.HmacHeader => new(name, "v1," + Convert.ToBase64String(RandomNumberGenerator.GetBytes(HmacBytes))),
                DeliverySigner.IdHeader => new(name, probeId),
                DeliverySigner.TimestampHeader => new(name, timestamp.ToString(CultureInfo.InvariantCulture)),
                _ => new(name, value),
            });
        }

        headers.Add(new(Header, Value));
        return real with { ListenerId = real.ListenerId + PipelineSuffix, Headers = headers };
    }

    /// <summary>
    /// The verdict: <see cref="SignatureCheck.Verified"/> when the listener took the real request and refused the forged
    /// one with a 4xx, <see cref="SignatureCheck.NotVerified"/> when it took the forged one, otherwise
    /// <see cref="SignatureCheck.Unknown"/> (the real one failed, or the probe met a 5xx, a redirect, a timeout, no connection, or no answer in time).
    /// </summary>
    /// <param name="real">The test event's attempt.</param>
    /// <param name="probe">The probe's attempt; null when it was not sent or not answered in time.</param>
    public static SignatureCheck Judge(AttemptOutcome real, AttemptOutcome? probe)
    {
        ArgumentNullException.ThrowIfNull(real);
        return probe switch
        {
            { Succeeded: true } => SignatureCheck.NotVerified,
            { StatusCode: >= 400 and < 500 } when real.Succeeded => SignatureCheck.Verified,
            _ => SignatureCheck.Unknown,
        };
    }
}
