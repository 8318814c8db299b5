using System.Collections.Immutable;

namespace Webhooks.Abstractions.Listeners;

/// <summary>
/// What a tenant chose for a listener: where to send, which event codes (<c>*</c> for all), at most how many
/// attempts a second it takes (null: no limit of its own), what order its deliveries keep, the headers of its own
/// that every request carries, and which signatures they carry.
/// </summary>
/// <remarks>
/// <see cref="Headers"/> come from the caller in clear; the tenant's router replaces them with
/// <see cref="ProtectedHeaders"/> before it stores the change, so their values (often credentials) are never at rest
/// in clear. The listener keeps them protected too. Both null: no headers of its own.
/// </remarks>
[GenerateSerializer, Immutable, Alias("webhooks.ListenerDefinition")]
public sealed record ListenerDefinition(
    [property: Id(0)] string Uri,
    [property: Id(1)] ImmutableArray<string> Subscriptions,
    [property: Id(2)] string? Description,
    [property: Id(3)] double? MaxDeliveriesPerSecond = null,
    [property: Id(4)] ListenerOrdering Ordering = ListenerOrdering.None,
    [property: Id(8)] ImmutableDictionary<string, string>? Headers = null,
    [property: Id(9)] string? ProtectedHeaders = null,
    [property: Id(10)] ListenerSignatures Signatures = ListenerSignatures.Both);
