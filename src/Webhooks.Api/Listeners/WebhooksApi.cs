using System.Collections.Immutable;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Webhooks.Abstractions;
using Webhooks.Abstractions.Catalog;
using Webhooks.Abstractions.Limits;
using Webhooks.Abstractions.Listeners;
using Webhooks.Abstractions.Routing;
using Webhooks.Api.Auth;
using Webhooks.Api.Errors;
using Webhooks.Api.Validation;

namespace Webhooks.Api.Listeners;

/// <summary>
/// The compatible <c>api/v1/account/webhooks</c> endpoints: add, list, get, edit and delete listeners, and the event
/// catalog; then, in the same group, what <see cref="ListenerActionsApi"/> does with a listener.
/// </summary>
public static class WebhooksApi
{
    private const string MaxListenersKey = WebhooksLimitsOptions.Section + ":" + nameof(WebhooksLimitsOptions.MaxListenersPerTenant);

    public static RouteGroupBuilder MapWebhooks(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("api/v1/account/webhooks")
            .RequireTenantCaller(routes)
            .WithTags("Webhooks")
            .WithRequestSizeLimit(routes.Limits().MaxManagementBodyBytes);

        group.MapGet("events", GetEventTypes)
            .WithName("GetWebhookEventTypes")
            .WithSummary("Lists the event codes a listener can subscribe to, with each one's payload schema and example when the deployment gives them.");

        group.MapPost("", CreateAsync)
            .Validates<WebhookRequest>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("CreateWebhook")
            .WithSummary("Adds a listener.");

        group.MapGet("", ListAsync)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .WithName("ListWebhooks")
            .WithSummary("Lists the tenant's listeners, a page at a time.");

        group.MapGet("{webhookListenerId}", GetAsync)
            .WithName("GetWebhook")
            .WithSummary("Gets one listener.");

        group.MapPut("{webhookListenerId}", UpdateAsync)
            .Validates<WebhookRequest>()
            .WithName("UpdateWebhook")
            .WithSummary("Replaces a listener's URI and subscriptions.");

        group.MapDelete("{webhookListenerId}", DeleteAsync)
            .WithName("DeleteWebhook")
            .WithSummary("Deletes a listener.");

        group.MapListenerActions();
        return group;
    }

    private static Ok<EventTypeList> GetEventTypes(EventCatalog catalog, TenantScope tenant) =>
        TypedResults.Ok(new EventTypeList([.. catalog.EventTypes.Select(EventTypeModel.From)], catalog.EventTypes.Count));

    private static async Task<Results<Created<CreatedWebhookModel>, ProblemHttpResult>> CreateAsync(WebhookRequest body, TenantScope tenant, IGrainFactory grains, HttpContext context)
    {
        var created = await grains.GetGrain<IEventRouterGrain>(tenant.TenantId).AddAsync(ToDefinition(body));
        if (created is null)
        {
            return ApiProblem.Create(StatusCodes.Status409Conflict, "ListenerLimitReached",
                $"The tenant already has as many webhook listeners as it may ({MaxListenersKey}); delete one first.");
        }

        var view = created.Listener;
        return TypedResults.Created(WebhooksApiEndpoint.Link(context, $"/api/v1/account/webhooks/{view.Id}"), new CreatedWebhookModel(
            view.Id, view.Uri, view.Subscriptions, view.Description, view.Enabled, view.DisabledReason, view.CreatedAt, view.UpdatedAt,
            view.MaxDeliveriesPerSecond, WebhookOrdering.Format(view.Ordering), WebhookModel.InNameOrder(view.Headers),
            WebhookSignatures.Format(view.Signatures), created.Secret));
    }

    private static async Task<Results<Ok<PagedResult<WebhookModel>>, ProblemHttpResult>> ListAsync(
        TenantScope tenant, IGrainFactory grains, int? pageNumber, int? pageSize)
    {
        var (number, size, errors) = Paging.Read(pageNumber, pageSize);
        if (errors.Count > 0)
        {
            return ApiProblem.Validation(errors);
        }

        var page = await grains.GetGrain<IEventRouterGrain>(tenant.TenantId).ListAsync(number, size);
        return TypedResults.Ok(new PagedResult<WebhookModel>([.. page.Items.Select(WebhookModel.From)], size, number, page.Total));
    }

    private static async Task<Results<Ok<WebhookModel>, ProblemHttpResult>> GetAsync(string webhookListenerId, TenantScope tenant, IGrainFactory grains)
    {
        var view = ResourceIds.IsListenerId(webhookListenerId)
            ? await grains.GetGrain<IListenerGrain>(webhookListenerId).GetAsync()
            : null;
        return view is not null && view.TenantId == tenant.TenantId
            ? TypedResults.Ok(WebhookModel.From(view))
            : ResourceNotFound.Listener();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> UpdateAsync(
        string webhookListenerId, WebhookRequest body, TenantScope tenant, IGrainFactory grains)
    {
        var updated = ResourceIds.IsListenerId(webhookListenerId)
            && await grains.GetGrain<IEventRouterGrain>(tenant.TenantId).UpdateAsync(webhookListenerId, ToDefinition(body)) is not null;
        return updated ? TypedResults.NoContent() : ResourceNotFound.Listener();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string webhookListenerId, TenantScope tenant, IGrainFactory grains)
    {
        var deleted = ResourceIds.IsListenerId(webhookListenerId)
            && await grains.GetGrain<IEventRouterGrain>(tenant.TenantId).RemoveAsync(webhookListenerId);
        return deleted ? TypedResults.NoContent() : ResourceNotFound.Listener();
    }

    // The validator has refused an ordering TryParse does not know, and any list of signatures Parse does not take.
    private static ListenerDefinition ToDefinition(WebhookRequest body) =>
        new(body.Uri!, [.. body.Subscriptions!.OfType<string>().Distinct(StringComparer.Ordinal)], body.Description, body.MaxDeliveriesPerSecond,
            WebhookOrdering.TryParse(body.Ordering, out var ordering) ? ordering : ListenerOrdering.None,
            body.Headers is { Count: > 0 } headers ? headers.ToImmutableDictionary(h => h.Key, h => h.Value!, StringComparer.OrdinalIgnoreCase) : null,
            Signatures: WebhookSignatures.Parse(body.Signatures, out _) ?? ListenerSignatures.Both);
}
