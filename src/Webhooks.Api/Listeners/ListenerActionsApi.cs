using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Webhooks.Abstractions;
using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Listeners;
using Webhooks.Abstractions.Publishing;
using Webhooks.Abstractions.Routing;
using Webhooks.Api.Auth;
using Webhooks.Api.Errors;
using Webhooks.Api.Validation;

namespace Webhooks.Api.Listeners;

/// <summary>
/// What a tenant does with its listeners beyond editing them: test, the delivery log, stats, redelivery, recovery (of one
/// listener or all), secret rotation, disabling and enabling. Mapped in the <c>api/v1/account/webhooks</c> group by
/// <see cref="WebhooksApi.MapWebhooks"/>, whose routes these extend.
/// </summary>
public static class ListenerActionsApi
{
    public static RouteGroupBuilder MapListenerActions(this RouteGroupBuilder group)
    {
        group.MapPost("{webhookListenerId}/test", TestAsync)
            .WithName("TestWebhook")
            .WithSummary("Sends the test event (webhook.test, no payload, resource id = the listener's id) once, even to a disabled listener; it is never retried.")
            .WithDescription("Without wait, answers 204 at once (the compatible contract). With wait=true, or the header Prefer: wait=N (seconds), "
                + "it answers 200 with the attempt's outcome once it ends, the wait bounded by N, the delivery timeout (plus 1 s) and 25 s; "
                + "when the bound passes first, 202 with the event id, whose outcome the delivery log shows. Unless probe=false, a forged copy "
                + "of the request (wrong N-Signature and webhook-signature, its own webhook-id, header webhook-probe: invalid-signature) follows a "
                + "successful attempt, once, and signatureCheck says what the listener made of it: verified (refused with a 4xx), notVerified "
                + "(accepted), unknown (anything else).");

        group.MapGet("{webhookListenerId}/deliveries", ListDeliveriesAsync)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .WithName("ListWebhookDeliveries")
            .WithSummary("The listener's delivery log, newest first, optionally filtered by status (pending, succeeded, failed, parked, skipped).");

        group.MapGet("{webhookListenerId}/stats", GetStatsAsync)
            .WithName("GetWebhookStats")
            .WithSummary("The listener's attempts over the last hour and day (count, success rate, p50 and p95 latency), pending and parked deliveries, its current concurrency limit and its last failed attempt.");

        group.MapPost("{webhookListenerId}/deliveries/{eventId}/redeliver", RedeliverAsync)
            .WithName("RedeliverWebhookDelivery")
            .WithSummary("Starts a fresh attempt series for a finished delivery.");

        group.MapPost("{webhookListenerId}/recover", RecoverAsync)
            .Validates<RecoverRequest>()
            .WithName("RecoverWebhookDeliveries")
            .WithSummary("Re-queues every failed delivery created at or after since and, if given, before until.");

        // A literal segment, and no other POST route has one segment after the group: it cannot be read as a listener id.
        group.MapPost("recover", RecoverAllAsync)
            .Validates<RecoverRequest>()
            .WithName("RecoverAllWebhookDeliveries")
            .WithSummary("Re-queues, at every listener of the tenant, the failed deliveries created at or after since and, if given, before until.");

        group.MapPost("{webhookListenerId}/secret/rotate", RotateSecretAsync)
            .WithName("RotateWebhookSecret")
            .WithSummary("Issues a new signing secret; the previous one keeps signing alongside it during the overlap.");

        group.MapPost("{webhookListenerId}/enable", EnableAsync)
            .ProducesJsonBodyProblems()
            .WithName("EnableWebhook")
            .WithSummary("Turns a disabled listener back on; delivery resumes. The optional body {\"replayParked\": false} skips the events parked while it was disabled instead of delivering them.");

        group.MapPost("{webhookListenerId}/disable", DisableAsync)
            .WithName("DisableWebhook")
            .WithSummary("Disables a listener by hand (reason DisabledByUser): no attempts, and new events are parked, until it is enabled.");

        return group;
    }

    private static async Task<Results<NoContent, Ok<WebhookTestResultModel>, Accepted<WebhookTestResultModel>, ProblemHttpResult>> TestAsync(
        string webhookListenerId, bool? wait, bool? probe, HttpRequest request, TenantScope tenant, IGrainFactory grains)
    {
        if (Listener(grains, webhookListenerId) is not { } listener)
        {
            return ResourceNotFound.Listener();
        }

        var preferred = PreferWait.Read(request.Headers["Prefer"]);
        if (wait ?? preferred is not null)
        {
            var bound = preferred is { } seconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.MaxValue;
            if (await listener.TestAndReportAsync(tenant.TenantId, new TestRequest(bound, probe ?? true)) is not { } report)
            {
                return ResourceNotFound.Listener();
            }

            if (preferred is { } applied)
            {
                request.HttpContext.Response.Headers[PreferWait.AppliedHeader] = $"wait={applied}";
            }

            var model = WebhookTestResultModel.From(report);
            return report.Finished ? TypedResults.Ok(model) : TypedResults.Accepted((string?)null, model);
        }

        return await listener.TestAsync(tenant.TenantId) is null ? ResourceNotFound.Listener() : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<WebhookStatsModel>, ProblemHttpResult>> GetStatsAsync(string webhookListenerId, TenantScope tenant, IGrainFactory grains)
    {
        var stats = Listener(grains, webhookListenerId) is { } listener ? await listener.GetStatsAsync(tenant.TenantId) : null;
        return stats is null ? ResourceNotFound.Listener() : TypedResults.Ok(WebhookStatsModel.From(stats));
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
                errors["status"] = "The status is one of pending, succeeded, failed, parked, skipped.";
            }
        }

        if (errors.Count > 0)
        {
            return ApiProblem.Validation(errors);
        }

        var page = Listener(grains, webhookListenerId) is { } listener ? await listener.GetDeliveriesAsync(tenant.TenantId, filter, number, size) : null;
        return page is null
            ? ResourceNotFound.Listener()
            : TypedResults.Ok(new PagedResult<DeliveryModel>([.. page.Items.Select(DeliveryModel.From)], size, number, page.Total));
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> RedeliverAsync(string webhookListenerId, string eventId, TenantScope tenant, IGrainFactory grains)
    {
        var outcome = Listener(grains, webhookListenerId) is { } listener && eventId.Length <= WebhookEventRules.MaxLookupIdLength
            ? await listener.RedeliverAsync(tenant.TenantId, eventId)
            : null;
        return outcome switch
        {
            true => TypedResults.Accepted((string?)null),
            false => ApiProblem.NotFound("This listener has no finished delivery of that event (a pending one is already being attempted)."),
            null => ResourceNotFound.Listener(),
        };
    }

    private static async Task<Results<Accepted<RecoverResult>, ProblemHttpResult>> RecoverAsync(
        string webhookListenerId, RecoverRequest body, TenantScope tenant, IGrainFactory grains)
    {
        var requeued = Listener(grains, webhookListenerId) is { } listener ? await listener.RecoverAsync(tenant.TenantId, body.Since!.Value, body.Until) : null;
        return requeued is { } count ? TypedResults.Accepted((string?)null, new RecoverResult(count)) : ResourceNotFound.Listener();
    }

    private static async Task<Accepted<RecoverResult>> RecoverAllAsync(RecoverRequest body, TenantScope tenant, IGrainFactory grains)
    {
        var requeued = await grains.GetGrain<IEventRouterGrain>(tenant.TenantId).RecoverAsync(body.Since!.Value, body.Until);
        return TypedResults.Accepted((string?)null, new RecoverResult(requeued));
    }

    private static async Task<Results<Ok<SecretModel>, ProblemHttpResult>> RotateSecretAsync(string webhookListenerId, TenantScope tenant, IGrainFactory grains)
    {
        var secret = Listener(grains, webhookListenerId) is { } listener ? await listener.RotateSecretAsync(tenant.TenantId) : null;
        return secret is null ? ResourceNotFound.Listener() : TypedResults.Ok(new SecretModel(secret));
    }

    // The body is optional (existing clients send none, and no Content-Type): absent or empty means replay.
    private static async Task<Results<Ok<WebhookModel>, ProblemHttpResult>> EnableAsync(
        string webhookListenerId, EnableRequest? body, TenantScope tenant, IGrainFactory grains)
    {
        var view = Listener(grains, webhookListenerId) is { } listener ? await listener.EnableAsync(tenant.TenantId, body?.ReplayParked ?? true) : null;
        return view is null ? ResourceNotFound.Listener() : TypedResults.Ok(WebhookModel.From(view));
    }

    private static async Task<Results<Ok<WebhookModel>, ProblemHttpResult>> DisableAsync(string webhookListenerId, TenantScope tenant, IGrainFactory grains)
    {
        var view = Listener(grains, webhookListenerId) is { } listener ? await listener.DisableAsync(tenant.TenantId) : null;
        return view is null ? ResourceNotFound.Listener() : TypedResults.Ok(WebhookModel.From(view));
    }

    private static IListenerGrain? Listener(IGrainFactory grains, string webhookListenerId) =>
        ResourceIds.IsListenerId(webhookListenerId) ? grains.GetGrain<IListenerGrain>(webhookListenerId) : null;
}
