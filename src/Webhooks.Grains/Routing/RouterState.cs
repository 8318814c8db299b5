using System.Collections.Immutable;
using Webhooks.Abstractions.Listeners;

namespace Webhooks.Grains.Routing;

/// <summary>The persisted state of a tenant's router: which listeners it has, what each wants, and the one change in progress.</summary>
[GenerateSerializer, Alias("webhooks.RouterState")]
public sealed class RouterState
{
    [Id(0)] public Dictionary<string, RoutedListener> Listeners { get; set; } = [];
    [Id(1)] public long NextSequence { get; set; } = 1;

    /// <summary>Written before a listener is touched and cleared once the outcome is known; see <c>EventRouterGrain</c>.</summary>
    [Id(2)] public PendingChange? Pending { get; set; }

    /// <summary>Set once the tenant is being deleted: the router then refuses every change and publish.</summary>
    [Id(3)] public bool Closed { get; set; }

    /// <summary>Listeners deleted so far, whose tombstones the tenant's deletion must remove too.</summary>
    [Id(4)] public List<string> Retired { get; set; } = [];
}

/// <summary>A listener's place in the index: its subscriptions and creation order.</summary>
[GenerateSerializer, Alias("webhooks.RoutedListener")]
public sealed record RoutedListener([property: Id(0)] ImmutableArray<string> Subscriptions, [property: Id(1)] long Sequence);

/// <summary>A change the router has started on a listener and not yet recorded the outcome of.</summary>
[GenerateSerializer, Alias("webhooks.PendingChange")]
public sealed record PendingChange(
    [property: Id(0)] Guid OperationId,
    [property: Id(1)] string ListenerId,
    [property: Id(2)] ListenerDefinition? Definition);
