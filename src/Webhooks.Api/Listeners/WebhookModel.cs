using System.Collections.Immutable;
using Webhooks.Abstractions.Listeners;

namespace Webhooks.Api.Listeners;

/// <summary>A listener as the API returns it: the compatible <c>{id, uri, subscriptions}</c> plus read-only extras.</summary>
public record WebhookModel(
    string Id,
    string Uri,
    ImmutableArray<string> Subscriptions,
    string? Description,
    bool Enabled,
    string? DisabledReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    double? MaxDeliveriesPerSecond)
{
    public static WebhookModel From(ListenerView view) => new(
        view.Id, view.Uri, view.Subscriptions, view.Description, view.Enabled, view.DisabledReason, view.CreatedAt, view.UpdatedAt,
        view.MaxDeliveriesPerSecond);
}

/// <summary>A listener just created, with its Standard Webhooks signing secret: shown this once.</summary>
public sealed record CreatedWebhookModel(
    string Id,
    string Uri,
    ImmutableArray<string> Subscriptions,
    string? Description,
    bool Enabled,
    string? DisabledReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    double? MaxDeliveriesPerSecond,
    string Secret) : WebhookModel(Id, Uri, Subscriptions, Description, Enabled, DisabledReason, CreatedAt, UpdatedAt, MaxDeliveriesPerSecond);

/// <summary>One page of a list, in the compatible API's shape.</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int PageSize, int PageNumber, int ElementsTotal);

/// <summary>The event catalog, in the compatible API's shape.</summary>
public sealed record EventTypeList(IReadOnlyList<EventTypeModel> Items, int ElementsTotal);

/// <summary>One catalog entry.</summary>
public sealed record EventTypeModel(string Type, string Code, string Description);
