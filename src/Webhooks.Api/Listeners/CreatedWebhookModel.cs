using System.Collections.Immutable;

namespace Webhooks.Api.Listeners;

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
    string Ordering,
    IReadOnlyDictionary<string, string>? Headers,
    IReadOnlyList<string> Signatures,
    string Secret) : WebhookModel(Id, Uri, Subscriptions, Description, Enabled, DisabledReason, CreatedAt, UpdatedAt, MaxDeliveriesPerSecond, Ordering, Headers, Signatures);
