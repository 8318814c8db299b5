namespace Webhooks.Publishing;

/// <summary>Publishes events for delivery; usable from any code that has the grain factory (a silo or a client).</summary>
public interface IWebhookPublisher
{
    /// <summary>
    /// Accepts an event for <paramref name="tenantId"/>. When the returned task completes, the event is on durable
    /// storage for every matching listener. Publishing an event id that was already accepted returns the same result.
    /// </summary>
    Task<PublishResult> PublishAsync(string tenantId, WebhookEvent webhookEvent);
}

/// <summary>An event to publish. <see cref="EventId"/> is generated (<c>event_…</c>) when null; <see cref="Payload"/> is raw JSON.</summary>
public sealed record WebhookEvent(string EventCode, string? ResourceId, string? Payload = null, string? EventId = null);
