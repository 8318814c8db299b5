using Webhooks.Delivery;
using Webhooks.Routing;
using Webhooks.Storage;
using Webhooks.Telemetry;

namespace Webhooks.Publishing;

/// <summary>The record that an event was accepted, and with what outcome.</summary>
[GenerateSerializer, Alias("webhooks.AcceptedEvent")]
public sealed class AcceptedEvent
{
    [Id(0)] public bool Accepted { get; set; }
    [Id(1)] public int MatchedWebhooks { get; set; }
    [Id(2)] public DateTimeOffset AcceptedAt { get; set; }
}

/// <summary>
/// De-duplicates publishing. The outcome is stored only after every matching listener has the event on storage,
/// so a publish that failed midway (no 202) is safely repeated — listeners that already queued the event id
/// ignore it — and one that succeeded is answered from the record without delivering again.
/// </summary>
public sealed class EventGrain(
    [PersistentState("event", WebhookStorage.ProviderName)] IPersistentState<AcceptedEvent> accepted,
    TimeProvider time,
    WebhookMetrics metrics) : Grain, IEventGrain
{
    public async Task<PublishResult> PublishAsync(EventEnvelope envelope)
    {
        if (!accepted.State.Accepted)
        {
            var matched = await GrainFactory.GetGrain<IEventRouterGrain>(envelope.TenantId).PublishAsync(envelope);
            accepted.State.Accepted = true;
            accepted.State.MatchedWebhooks = matched;
            accepted.State.AcceptedAt = time.GetUtcNow();
            await accepted.WriteStateAsync();
            metrics.EventPublished(matched);
        }

        // One activation per event would pile up at any real publish rate; a repeat publish just reads the record.
        DeactivateOnIdle();

        return new PublishResult(envelope.EventId, accepted.State.MatchedWebhooks);
    }
}
