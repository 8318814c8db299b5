
namespace Webhooks.Abstractions.Publishing;

/// <summary>Publishes events for delivery; usable from any code that has the grain factory (a silo or a client).</summary>
public interface IWebhookPublisher
{
    /// <summary>
    /// Accepts an event for <paramref name="tenantId"/>, or refuses it, storing nothing, when it breaks the rules the
    /// HTTP API applies (<see cref="WebhookEventRules"/>). When the returned task completes with an accepted outcome,
    /// the event is on durable storage for every matching listener. Publishing an event id that was already accepted
    /// returns the same result.
    /// </summary>
    Task<PublishOutcome> PublishAsync(string tenantId, WebhookEvent webhookEvent);
}

/// <summary>An event to publish. <see cref="EventId"/> is generated (<c>event_…</c>) when null; <see cref="Payload"/> is raw JSON.</summary>
public sealed record WebhookEvent(string EventCode, string? ResourceId, string? Payload = null, string? EventId = null);
