using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Webhooks.Abstractions.Publishing;
using Webhooks.Api.Validation;

namespace Webhooks.Api.Publishing;

/// <summary>The body of <c>POST api/v1/events</c>.</summary>
/// <param name="EventId">Optional; generated (<c>event_…</c>) when absent. Publishing an id again delivers nothing twice.</param>
/// <param name="EventCode">A code from the catalog.</param>
/// <param name="ResourceId">The id of the resource the event is about.</param>
/// <param name="Payload">Any JSON, delivered as-is.</param>
public sealed record PublishEventRequest(string? EventId, [property: Required] string? EventCode, [property: Required] string? ResourceId, JsonElement? Payload);

/// <summary>What publishing came to.</summary>
public sealed record PublishEventResponse(string EventId, int MatchedWebhooks);

/// <summary>
/// The publishing rules for the event's fields, checked before the handler reads the payload; the publisher applies
/// the same rules again, with the payload's, so nothing here is a rule of its own.
/// </summary>
public sealed class PublishEventRequestValidator(WebhookEventRules rules) : IRequestValidator<PublishEventRequest>
{
    public IReadOnlyDictionary<string, string> Validate(PublishEventRequest request) =>
        rules.ValidateFields(request.EventId, request.EventCode, request.ResourceId);
}
