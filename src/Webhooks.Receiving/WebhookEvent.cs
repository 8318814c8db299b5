using System.Text.Json;

namespace Webhooks.Receiving;

/// <summary>
/// One verified delivery: the body the dispatcher sends, <c>{eventId, eventDate, eventCode, resourceId, callAttempt,
/// payload}</c>, with the time the attempt was signed and the key that verified its <c>N-Signature</c>.
/// </summary>
/// <param name="EventId">The event's id, stable across retries (also the <c>webhook-id</c> header): de-duplicate on it.</param>
/// <param name="EventDate">When the event happened, UTC.</param>
/// <param name="EventCode">The event's code, such as <c>entitlement.created</c>; <see cref="TestEventCode"/> for the Test button.</param>
/// <param name="ResourceId">The resource the event is about; for the test event, the listener's id.</param>
/// <param name="CallAttempt">Which attempt this is, from 1.</param>
/// <param name="Payload">The event's payload exactly as published (<see cref="JsonValueKind.Null"/> when it has none).</param>
/// <param name="Timestamp">When this attempt was signed (<c>webhook-timestamp</c>).</param>
/// <param name="SigningKeyId">The id of the tenant key that verified <c>N-Signature</c>, when it was verified by key set; otherwise null.</param>
public sealed record WebhookEvent(
    string EventId,
    DateTimeOffset EventDate,
    string EventCode,
    string ResourceId,
    int CallAttempt,
    JsonElement Payload,
    DateTimeOffset Timestamp,
    string? SigningKeyId)
{
    /// <summary>The code of the event the Test button sends: no payload, never retried.</summary>
    public const string TestEventCode = "webhook.test";

    /// <summary>Whether this is the Test button's event.</summary>
    public bool IsTest => EventCode == TestEventCode;

    /// <summary>The payload as <typeparamref name="T"/> (web defaults: camelCase, case-insensitive).</summary>
    public T? PayloadAs<T>() => Payload.Deserialize<T>(JsonSerializerOptions.Web);
}
