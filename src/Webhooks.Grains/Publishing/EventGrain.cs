using Webhooks.Delivery;
using Webhooks.Routing;
using Webhooks.Telemetry;

namespace Webhooks.Publishing;

/// <summary>
/// De-duplicates publishing. The outcome is recorded only after every matching listener has the event on storage,
/// so a publish that failed midway (no 202) is safely repeated — listeners that already queued the event id
/// ignore it — and one that succeeded is answered from the record without delivering again.
/// </summary>
/// <remarks>
/// A local, stateless worker per tenant that interleaves its publishes: the record is a row of
/// <see cref="IAcceptedEvents"/>, not grain state, so an event costs no activation, placement or directory entry.
/// Two publishes of one new event id racing each other both reach the router; the listeners queue it once, and
/// both answer with the first record's count.
/// </remarks>
[StatelessWorker]
[Reentrant]
public sealed class EventGrain(IAcceptedEvents accepted, TimeProvider time, WebhookMetrics metrics) : Grain, IEventGrain
{
    public async Task<PublishResult> PublishAsync(EventEnvelope envelope)
    {
        if (envelope.TenantId != this.GetPrimaryKeyString())
        {
            throw new ArgumentException("An event is published through its own tenant's event grain.", nameof(envelope));
        }

        if (await accepted.FindAsync(envelope.TenantId, envelope.EventId) is { } earlier)
        {
            return new PublishResult(envelope.EventId, earlier);
        }

        var matched = await GrainFactory.GetGrain<IEventRouterGrain>(envelope.TenantId).PublishAsync(envelope);
        var recorded = await accepted.RecordAsync(envelope.TenantId, envelope.EventId, matched, time.GetUtcNow());
        metrics.EventPublished(matched);
        return new PublishResult(envelope.EventId, recorded);
    }
}
