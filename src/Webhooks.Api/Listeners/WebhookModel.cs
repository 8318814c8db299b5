using System.Collections.Immutable;
using System.ComponentModel.DataAnnotations;
using Webhooks.Abstractions.Listeners;

namespace Webhooks.Api.Listeners;

/// <summary>
/// A listener as the API returns it: the compatible <c>{id, uri, subscriptions}</c> plus our extras; its own
/// <c>headers</c> with their values masked (<c>***</c> and the last 4 characters); the <c>signatures</c> it receives,
/// always listed (both when the tenant never chose).
/// </summary>
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
    [property: AllowedValues(WebhookOrdering.None, WebhookOrdering.Resource, WebhookOrdering.Listener)] string Ordering,
    IReadOnlyDictionary<string, string>? Headers,
    [property: AllowedValues(WebhookSignatures.NSignature, WebhookSignatures.Standard)] IReadOnlyList<string> Signatures)
{
    public static WebhookModel From(ListenerView view) => new(
        view.Id, view.Uri, view.Subscriptions, view.Description, view.Enabled, view.DisabledReason, view.CreatedAt, view.UpdatedAt,
        view.MaxDeliveriesPerSecond, WebhookOrdering.Format(view.Ordering), InNameOrder(view.Headers),
        WebhookSignatures.Format(view.Signatures));

    /// <summary>The listener's headers by name, so that every read of it shows them in one order.</summary>
    internal static SortedDictionary<string, string>? InNameOrder(IReadOnlyDictionary<string, string>? headers) =>
        headers is null ? null : new SortedDictionary<string, string>(headers.ToDictionary(), StringComparer.OrdinalIgnoreCase);
}
