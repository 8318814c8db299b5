using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Orleans;
using Webhooks.Api.Auth;
using Webhooks.Api.Errors;
using Webhooks.Api.Listeners;
using Webhooks.Api.Validation;
using Webhooks.Delivery;
using Webhooks.Listeners;

namespace Webhooks.Api.Deliveries;

/// <summary>What a tenant does with one listener beyond editing it: test, the delivery log, redelivery, secret rotation, enabling.</summary>
public static class ListenerActionsApi
{
    public static RouteGroupBuilder MapListenerActions(this RouteGroupBuilder group)
    {
        group.MapPost("{webhookListenerId}/test", TestAsync)
            .WithName("TestWebhook")
            .WithSummary("Sends the test event (webhook.test, no payload, resource id = the listener's id) once; it is never retried.");

        group.MapGet("{webhookListenerId}/deliveries", ListDeliveriesAsync)
            .WithName("ListWebhookDeliveries")
            .WithSummary("The listener's delivery log, newest first, optionally filtered by status (pending, succeeded, failed).");

        group.MapPost("{webhookListenerId}/deliveries/{eventId}/redeliver", RedeliverAsync)
            .WithName("RedeliverWebhookDelivery")
            .WithSummary("Starts a fresh attempt series for a finished delivery.");

        group.MapPost("{webhookListenerId}/recover", RecoverAsync)
            .Validates<RecoverRequest>()
            .WithName("RecoverWebhookDeliveries")
            .WithSummary("Re-queues every failed delivery created since the given time.");

        group.MapPost("{webhookListenerId}/secret/rotate", RotateSecretAsync)
            .WithName("RotateWebhookSecret")
            .WithSummary("Issues a new signing secret; the previous one keeps signing alongside it during the overlap.");

        group.MapPost("{webhookListenerId}/enable", EnableAsync)
            .WithName("EnableWebhook")
            .WithSummary("Turns a disabled listener back on; delivery resumes.");

        return group;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> TestAsync(string webhookListenerId, TenantScope tenant, IGrainFactory grains)
    {
        var eventId = Listener(grains, webhookListenerId) is { } listener ? await listener.TestAsync(tenant.TenantId) : null;
        return eventId is null ? WebhooksApi.ListenerNotFound() : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<PagedResult<DeliveryModel>>, ProblemHttpResult>> ListDeliveriesAsync(
        string webhookListenerId, TenantScope tenant, IGrainFactory grains, string? status, int? pageNumber, int? pageSize)
    {
        var (number, size, errors) = Paging.Read(pageNumber, pageSize);
        DeliveryStatus? filter = null;
        if (status is not null)
        {
            if (Enum.TryParse<DeliveryStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(status, out _))
            {
                filter = parsed;
            }
            else
            {
                errors["status"] = "The status is one of pending, succeeded, failed.";
            }
        }

        if (errors.Count > 0)
        {
            return ApiProblem.Validation(errors);
        }

        var page = Listener(grains, webhookListenerId) is { } listener ? await listener.GetDeliveriesAsync(tenant.TenantId, filter, number, size) : null;
        return page is null
            ? WebhooksApi.ListenerNotFound()
            : TypedResults.Ok(new PagedResult<DeliveryModel>([.. page.Items.Select(DeliveryModel.From)], size, number, page.Total));
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> RedeliverAsync(string webhookListenerId, string eventId, TenantScope tenant, IGrainFactory grains)
    {
        var outcome = Listener(grains, webhookListenerId) is { } listener && eventId.Length <= 256
            ? await listener.RedeliverAsync(tenant.TenantId, eventId)
            : null;
        return outcome switch
        {
            true => TypedResults.Accepted((string?)null),
            false => ApiProblem.NotFound("This listener has no finished delivery of that event (a pending one is already being attempted)."),
            null => WebhooksApi.ListenerNotFound(),
        };
    }

    private static async Task<Results<Accepted<RecoverResult>, ProblemHttpResult>> RecoverAsync(
        string webhookListenerId, RecoverRequest body, TenantScope tenant, IGrainFactory grains)
    {
        var requeued = Listener(grains, webhookListenerId) is { } listener ? await listener.RecoverAsync(tenant.TenantId, body.Since!.Value) : null;
        return requeued is { } count ? TypedResults.Accepted((string?)null, new RecoverResult(count)) : WebhooksApi.ListenerNotFound();
    }

    private static async Task<Results<Ok<SecretModel>, ProblemHttpResult>> RotateSecretAsync(string webhookListenerId, TenantScope tenant, IGrainFactory grains)
    {
        var secret = Listener(grains, webhookListenerId) is { } listener ? await listener.RotateSecretAsync(tenant.TenantId) : null;
        return secret is null ? WebhooksApi.ListenerNotFound() : TypedResults.Ok(new SecretModel(secret));
    }

    private static async Task<Results<Ok<WebhookModel>, ProblemHttpResult>> EnableAsync(string webhookListenerId, TenantScope tenant, IGrainFactory grains)
    {
        var view = Listener(grains, webhookListenerId) is { } listener ? await listener.EnableAsync(tenant.TenantId) : null;
        return view is null ? WebhooksApi.ListenerNotFound() : TypedResults.Ok(WebhookModel.From(view));
    }

    private static IWebhookGrain? Listener(IGrainFactory grains, string webhookListenerId) =>
        ResourceIds.IsListenerId(webhookListenerId) ? grains.GetGrain<IWebhookGrain>(webhookListenerId) : null;
}

/// <summary>A recovery needs a point in time.</summary>
public sealed class RecoverRequestValidator : IRequestValidator<RecoverRequest>
{
    public IReadOnlyDictionary<string, string> Validate(RecoverRequest request) =>
        request.Since is null
            ? new Dictionary<string, string> { ["since"] = "Give the time (ISO-8601) from which failed deliveries are re-queued." }
            : new Dictionary<string, string>();
}
