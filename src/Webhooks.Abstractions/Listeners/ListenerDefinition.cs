using System.Collections.Immutable;

namespace Webhooks.Abstractions.Listeners;

/// <summary>
/// What a tenant chose for a listener: where to send, which event codes (<c>*</c> for all), at most how many
/// attempts a second it takes (null: no limit of its own), and what order its deliveries keep.
/// </summary>
[GenerateSerializer, Immutable, Alias("webhooks.ListenerDefinition")]
public sealed record ListenerDefinition(
    [property: Id(0)] string Uri,
    [property: Id(1)] ImmutableArray<string> Subscriptions,
    [property: Id(2)] string? Description,
    [property: Id(3)] double? MaxDeliveriesPerSecond = null,
    [property: Id(4)] ListenerOrdering Ordering = ListenerOrdering.None);
