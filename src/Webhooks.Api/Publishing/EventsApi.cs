using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Webhooks.Api.Auth;
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

    private static async Task<Accepted<PublishEventResponse>> PublishAsync(PublishEventRequest body, TenantScope tenant, IWebhookPublisher publisher)
    {
        var payload = body.Payload is { ValueKind: not System.Text.Json.JsonValueKind.Null } json ? json.GetRawText() : null;
        var result = await publisher.PublishAsync(tenant.TenantId, new WebhookEvent(body.EventCode!, body.ResourceId, payload, body.EventId));
        return TypedResults.Accepted((string?)null, new PublishEventResponse(result.EventId, result.MatchedWebhooks));
    }
}
