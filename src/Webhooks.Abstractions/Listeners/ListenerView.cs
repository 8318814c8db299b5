using System.Collections.Immutable;

namespace Webhooks.Abstractions.Listeners;

/// <summary>A listener as its tenant sees it; its own headers' values masked (<see cref="ListenerHeaderRules.Mask"/>).</summary>
[GenerateSerializer, Immutable, Alias("webhooks.ListenerView")]
public sealed record ListenerView(
    [property: Id(0)] string Id,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string Uri,
    [property: Id(3)] ImmutableArray<string> Subscriptions,
    [property: Id(4)] string? Description,
    [property: Id(5)] bool Enabled,
    [property: Id(6)] string? DisabledReason,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset UpdatedAt,
    [property: Id(9)] double? MaxDeliveriesPerSecond = null,
    [property: Id(10)] ListenerOrdering Ordering = ListenerOrdering.None,
    [property: Id(14)] ImmutableDictionary<string, string>? Headers = null,
    [property: Id(15)] ListenerSignatures Signatures = ListenerSignatures.Both);
