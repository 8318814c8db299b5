using Webhooks.Abstractions.Delivery;

namespace Webhooks.Abstractions.Publishing;

/// <summary>The <see cref="IWebhookPublisher"/> over the grain factory: the publishing rules, then one call to the tenant's event grain.</summary>
public sealed class WebhookPublisher(IGrainFactory grains, TimeProvider time, WebhookEventRules rules) : IWebhookPublisher
{
    public const string EventIdPrefix = "event_";

    public async Task<PublishOutcome> PublishAsync(string tenantId, WebhookEvent webhookEvent)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentNullException.ThrowIfNull(webhookEvent);
        var errors = rules.Validate(webhookEvent);
        if (errors.Count > 0)
        {
            return PublishOutcome.Invalid(errors);
        }

        var eventId = webhookEvent.EventId ?? EventIdPrefix + ResourceIds.NewRandomToken(16);
        var envelope = new EventEnvelope(tenantId, eventId, webhookEvent.EventCode, webhookEvent.ResourceId, time.GetUtcNow(), webhookEvent.Payload);
        return PublishOutcome.Accepted(await grains.GetGrain<IEventGrain>(tenantId).PublishAsync(envelope));
    }
}
