using Webhooks.Delivery;

namespace Webhooks.Publishing;

/// <summary>The <see cref="IWebhookPublisher"/> over the grain factory: one call to the tenant's event grain.</summary>
public sealed class WebhookPublisher(IGrainFactory grains, TimeProvider time) : IWebhookPublisher
{
    public const string EventIdPrefix = "event_";

    public Task<PublishResult> PublishAsync(string tenantId, WebhookEvent webhookEvent)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(webhookEvent.EventCode);
        var eventId = webhookEvent.EventId ?? EventIdPrefix + ResourceIds.NewRandomToken(16);
        var envelope = new EventEnvelope(tenantId, eventId, webhookEvent.EventCode, webhookEvent.ResourceId, time.GetUtcNow(), webhookEvent.Payload);
        return grains.GetGrain<IEventGrain>(tenantId).PublishAsync(envelope);
    }
}
