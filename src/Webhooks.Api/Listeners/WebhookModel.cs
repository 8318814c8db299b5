using System.Collections.Immutable;
using System.ComponentModel.DataAnnotations;
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
    double? MaxDeliveriesPerSecond,
    [property: AllowedValues(WebhookOrdering.None, WebhookOrdering.Resource, WebhookOrdering.Listener)] string Ordering)
{
    public static WebhookModel From(ListenerView view) => new(
        view.Id, view.Uri, view.Subscriptions, view.Description, view.Enabled, view.DisabledReason, view.CreatedAt, view.UpdatedAt,
        view.MaxDeliveriesPerSecond, WebhookOrdering.Format(view.Ordering));
}
