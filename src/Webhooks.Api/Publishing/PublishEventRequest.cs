using System.Text.Json;
using Webhooks.Api.Catalog;
using Webhooks.Api.Validation;

namespace Webhooks.Api.Publishing;

/// <summary>The body of <c>POST api/v1/events</c>.</summary>
/// <param name="EventId">Optional; generated (<c>event_…</c>) when absent. Publishing an id again delivers nothing twice.</param>
/// <param name="EventCode">A code from the catalog.</param>
/// <param name="ResourceId">The id of the resource the event is about.</param>
/// <param name="Payload">Any JSON, delivered as-is.</param>
public sealed record PublishEventRequest(string? EventId, string? EventCode, string? ResourceId, JsonElement? Payload);

/// <summary>What publishing came to.</summary>
public sealed record PublishEventResponse(string EventId, int MatchedWebhooks);

/// <summary>An event needs a known code and a resource; a caller-chosen id must be a short token.</summary>
public sealed class PublishEventRequestValidator(EventCatalog catalog) : IRequestValidator<PublishEventRequest>
{
    public const int MaxIdLength = 128;

    public IReadOnlyDictionary<string, string> Validate(PublishEventRequest request)
    {
        var errors = new Dictionary<string, string>();
        if (request.EventId is { } id && (id.Length is 0 or > MaxIdLength || !id.All(IsIdCharacter)))
        {
            errors["eventId"] = $"An event id is 1 to {MaxIdLength} characters of letters, digits and . _ : -";
        }

        if (string.IsNullOrEmpty(request.EventCode) || request.EventCode == EventCatalog.AllEvents || !catalog.IsSubscribable(request.EventCode))
        {
            errors["eventCode"] = "The event code must be one of the catalog's (GET api/v1/account/webhooks/events).";
        }

        if (string.IsNullOrWhiteSpace(request.ResourceId) || request.ResourceId.Length > 256)
        {
            errors["resourceId"] = "The resource id is required, at most 256 characters.";
        }

        return errors;
    }

    private static bool IsIdCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-';
}
