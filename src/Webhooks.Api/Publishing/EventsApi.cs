using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Webhooks.Abstractions.Publishing;
using Webhooks.Api.Auth;
using Webhooks.Api.Errors;
using Webhooks.Api.Validation;

namespace Webhooks.Api.Publishing;

/// <summary>
/// <c>api/v1/events</c>: the platform (or a tenant) publishes an event for delivery, and reads the tenant's events
/// back: the feed, in acceptance order, for reconciliation, and one event with its delivery to each listener.
/// </summary>
public static class EventsApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static RouteGroupBuilder MapEvents(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("api/v1/events")
            .RequireTenantCaller(routes)
            .WithTags("Events")
            .WithRequestSizeLimit(routes.Limits().MaxPublishBodyBytes);

        group.MapPost("", PublishAsync)
            .Validates<PublishEventRequest>()
            .WithName("PublishEvent")
            .WithSummary("Accepts an event: when this returns 202 it is on durable storage for every matching listener.");

        group.MapGet("", ListAsync)
            .ProducesValidationProblem(StatusCodes.Status400BadRequest)
            .WithName("ListEvents")
            .WithSummary("The tenant's events in acceptance order, after a cursor (from the oldest kept without one); next is absent when nothing more is there yet.");

        group.MapGet("{eventId}", GetAsync)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetEvent")
            .WithSummary("One of the tenant's events, with its delivery to each listener that queued it.");

        return group;
    }

    private static async Task<Results<Ok<EventFeedModel>, ProblemHttpResult>> ListAsync(
        TenantScope tenant, IGrainFactory grains, string? after, int? limit, string? eventCode, string? resourceId)
    {
        var errors = new Dictionary<string, string>();
        FeedPosition? position = null;
        if (after is not null && !FeedCursor.TryDecode(after, out position))
        {
            errors["after"] = "Not a cursor of this feed: pass an event's cursor, or a page's next, as it was given.";
        }

        var size = limit ?? DefaultLimit;
        if (size is < 1 or > MaxLimit)
        {
            errors["limit"] = $"The limit must be between 1 and {MaxLimit}.";
        }

        if (eventCode is not null && eventCode.Length is 0 or > WebhookEventRules.MaxEventCodeLength)
        {
            errors["eventCode"] = $"The event code, when given, is 1 to {WebhookEventRules.MaxEventCodeLength} characters.";
        }

        if (resourceId is not null && resourceId.Length is 0 or > WebhookEventRules.MaxResourceIdLength)
        {
            errors["resourceId"] = $"The resource id, when given, is 1 to {WebhookEventRules.MaxResourceIdLength} characters.";
        }

        if (errors.Count > 0)
        {
            return ApiProblem.Validation(errors, StatusCodes.Status400BadRequest);
        }

        var page = await grains.GetGrain<IEventGrain>(tenant.TenantId).ReadAsync(new EventFeedQuery(position, size, eventCode, resourceId));
        return TypedResults.Ok(EventFeedModel.From(page));
    }

    private static async Task<Results<Ok<EventModel>, ProblemHttpResult>> GetAsync(string eventId, TenantScope tenant, IGrainFactory grains)
    {
        var details = eventId.Length <= WebhookEventRules.MaxIdLength
            ? await grains.GetGrain<IEventGrain>(tenant.TenantId).GetAsync(eventId)
            : null;
        return details is null ? ApiProblem.NotFound("The tenant has no event with this id.") : TypedResults.Ok(EventModel.From(details));
    }

    private static async Task<Results<Accepted<PublishEventResponse>, ProblemHttpResult>> PublishAsync(
        PublishEventRequest body, TenantScope tenant, IWebhookPublisher publisher)
    {
        string? payload = null;
        if (body.Payload is { ValueKind: not JsonValueKind.Null } json)
        {
            // A JsonElement keeps its text as raw bytes whose UTF-8 is checked only when read; bytes that are not UTF-8
            // make the body unparsable, like anywhere else in it.
            if (!Utf8.IsValid(JsonMarshal.GetRawUtf8Value(json)))
            {
                return ApiProblem.Create(StatusCodes.Status400BadRequest, "InvalidJson", "The body is not valid JSON: the payload holds bytes that are not UTF-8.");
            }

            payload = json.GetRawText();
        }

        var outcome = await publisher.PublishAsync(tenant.TenantId, new WebhookEvent(body.EventCode!, body.ResourceId, payload, body.EventId));
        if (!outcome.IsAccepted)
        {
            // Only the payload's rules can fail here (the validation filter checked the rest): its cap, when it is set
            // below the request body's, and its event type's schema (one error per failing place, payload/…).
            return ApiProblem.Validation(outcome.Errors.ToDictionary(e => e.Field, e => e.Message));
        }

        return TypedResults.Accepted((string?)null, new PublishEventResponse(outcome.Result.EventId, outcome.Result.MatchedWebhooks));
    }
}
