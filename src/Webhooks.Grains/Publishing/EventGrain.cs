using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Listeners;
using Webhooks.Abstractions.Publishing;
using Webhooks.Abstractions.Routing;
using Webhooks.Grains.Telemetry;

namespace Webhooks.Grains.Publishing;

/// <summary>
/// Accepts a tenant's events and reads them back. A publish stores the event once, with no outcome; hands it to the
/// tenant's router, which returns once every matching listener has its delivery on storage; and only then records
/// the outcome. A publish that failed midway (no 202) left no outcome and is repeated safely — through the router
/// again, where listeners that already queued the event id ignore it — and one that completed is answered from the
/// record without delivering again.
/// </summary>
/// <remarks>
/// A local, stateless worker per tenant that interleaves its publishes: the record is a row of
/// <see cref="IAcceptedEvents"/>, not grain state, so an event costs no activation, placement or directory entry.
/// Two publishes of one new event id racing each other both reach the router; the listeners queue it once, and
/// both answer with the first outcome recorded.
/// </remarks>
[StatelessWorker]
[Reentrant]
public sealed class EventGrain(IAcceptedEvents accepted, TimeProvider time, WebhooksMetrics metrics) : Grain, IEventGrain
{
    private string TenantId => this.GetPrimaryKeyString();

    public async Task<PublishResult> PublishAsync(EventEnvelope envelope)
    {
        if (envelope.TenantId != TenantId)
        {
            throw new ArgumentException("An event is published through its own tenant's event grain.", nameof(envelope));
        }

        var stored = await accepted.AcceptAsync(envelope, time.GetUtcNow());
        if (stored.Matched is { } earlier)
        {
            return new PublishResult(envelope.EventId, earlier);
        }

        // The stored event, not the one given: a repeated publish delivers what the first one stored.
        var listeners = await GrainFactory.GetGrain<IEventRouterGrain>(TenantId).PublishAsync(stored.Event);
        var recorded = await accepted.CompleteAsync(stored.Event.Seq!.Value, listeners);
        metrics.EventPublished(recorded);
        return new PublishResult(envelope.EventId, recorded);
    }

    public Task<EventFeedPage> ReadAsync(EventFeedQuery query)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, FeedPage.MaxLimit, nameof(query));
        return accepted.ReadAsync(TenantId, query);
    }

    public async Task<EventDetails?> GetAsync(string eventId)
    {
        if (await accepted.FindAsync(TenantId, eventId) is not { } record)
        {
            return null;
        }

        // Each listener that queued the event knows how its delivery stands; one deleted since, or whose log no longer
        // holds the delivery, has nothing to say.
        var deliveries = await Task.WhenAll(record.ListenerIds.Select(async id =>
            (Id: id, Delivery: await GrainFactory.GetGrain<IListenerGrain>(id).GetDeliveryAsync(TenantId, eventId))));
        return new EventDetails(
            record.Event,
            record.AcceptedAt,
            record.Matched,
            [.. deliveries.Where(d => d.Delivery is not null).Select(d => new EventDelivery(d.Id, d.Delivery!.Status, d.Delivery.Attempts.Length))]);
    }
}
