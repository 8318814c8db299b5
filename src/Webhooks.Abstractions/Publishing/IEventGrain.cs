using Webhooks.Delivery;

namespace Webhooks.Publishing;

/// <summary>
/// One accepted event, keyed <c>{tenantId}/{eventId}</c>. It remembers the outcome of the first publish, so
/// publishing the same event id again returns the same result and delivers nothing twice.
/// </summary>
public interface IEventGrain : IGrainWithStringKey
{
    /// <summary>Fans the event out through the tenant's router once; returns the first outcome ever after.</summary>
    Task<PublishResult> PublishAsync(EventEnvelope envelope);

    /// <summary>The grain key of an event.</summary>
    public static string Key(string tenantId, string eventId) => $"{tenantId}/{eventId}";
}
