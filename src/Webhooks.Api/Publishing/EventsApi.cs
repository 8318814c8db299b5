using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Webhooks.Api.Auth;
using Webhooks.Api.Errors;
using Webhooks.Api.Limits;
using Webhooks.Api.Validation;
using Webhooks.Publishing;

namespace Webhooks.Api.Publishing;

/// <summary><c>POST api/v1/events</c>: the platform (or a tenant) publishes an event for delivery.</summary>
public static class EventsApi
{
    public static RouteGroupBuilder MapEvents(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("api/v1/events")
            .RequireApiKey(ApiClaims.AnyKeyPolicy)
            .WithTags("Events")
            .WithRequestSizeLimit(routes.Limits().MaxPublishBodyBytes);

        group.MapPost("", PublishAsync)
            .Validates<PublishEventRequest>()
            .WithName("PublishEvent")
            .WithSummary("Accepts an event: when this returns 202 it is on durable storage for every matching listener.");

        return group;
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

        var result = await publisher.PublishAsync(tenant.TenantId, new WebhookEvent(body.EventCode!, body.ResourceId, payload, body.EventId));
        return TypedResults.Accepted((string?)null, new PublishEventResponse(result.EventId, result.MatchedWebhooks));
    }
}
