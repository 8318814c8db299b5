using Webhooks.Abstractions.Delivery;

namespace Webhooks.Abstractions.Publishing;

/// <summary>
/// Accepts a tenant's events, keyed by the tenant id, and reads them back. It remembers the outcome of each event
/// id's first publish, so publishing the same event id again returns the same result and delivers nothing twice.
/// </summary>
public interface IEventGrain : IGrainWithStringKey
{
    /// <summary>Fans the event out through the tenant's router once; returns the first outcome ever after.</summary>
    Task<PublishResult> PublishAsync(EventEnvelope envelope);

    /// <summary>A page of the tenant's events feed, in acceptance order.</summary>
    [ReadOnly]
    Task<EventFeedPage> ReadAsync(EventFeedQuery query);

    /// <summary>One of the tenant's events with its delivery to each listener; null when the tenant has no such event.</summary>
    [ReadOnly]
    Task<EventDetails?> GetAsync(string eventId);
}
