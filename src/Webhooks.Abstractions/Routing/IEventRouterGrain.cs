using System.Collections.Immutable;
using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Listeners;

namespace Webhooks.Abstractions.Routing;

/// <summary>
/// One per tenant, keyed by the tenant id: the tenant's listeners and the index from event code to listener ids.
/// Every add, edit and delete goes through it so the index never disagrees with the listeners.
/// </summary>
public interface IEventRouterGrain : IGrainWithStringKey
{
    /// <summary>
    /// Registers a new listener and returns it with its signing secret; null when the tenant already has as many
    /// listeners as it may (<c>Webhooks:Limits:MaxListenersPerTenant</c>).
    /// </summary>
    Task<CreatedListener?> AddAsync(ListenerDefinition definition);

    /// <summary>Replaces a listener's URI and subscriptions; null when the tenant has no such listener.</summary>
    Task<ListenerView?> UpdateAsync(string listenerId, ListenerDefinition definition);

    /// <summary>Deletes a listener; false when the tenant has no such listener.</summary>
    Task<bool> RemoveAsync(string listenerId);

    /// <summary>One page of the tenant's listeners in creation order (pages are 1-based).</summary>
    [ReadOnly]
    Task<ListenerPage> ListAsync(int pageNumber, int pageSize);

    /// <summary>
    /// The ids of the listeners that want <paramref name="eventCode"/>, including those subscribed to <c>*</c> (for an
    /// operational event, only those subscribed to it by name).
    /// </summary>
    [ReadOnly]
    Task<ImmutableArray<string>> MatchAsync(string eventCode);

    /// <summary>
    /// Hands the event to every matching listener and returns the ids of those that took it (a disabled listener parks
    /// it). When it returns, the event is on storage at each of them. Edits wait for fan-outs in progress, and the other way round.
    /// </summary>
    [ReadOnly]
    Task<ImmutableArray<string>> PublishAsync(EventEnvelope envelope);

    /// <summary>
    /// Re-queues, at every listener of the tenant, the failed deliveries created at or after <paramref name="since"/>
    /// and before <paramref name="until"/> (exclusive; no end when null); returns how many in all.
    /// </summary>
    [ReadOnly]
    Task<int> RecoverAsync(DateTimeOffset since, DateTimeOffset? until);

    /// <summary>
    /// Closes the router for its tenant's deletion, stored before anything else: from then on every add, edit, delete
    /// and publish fails with <c>TenantDeletedException</c>. Then stops every listener. Returns the id of every
    /// listener that may have stored anything: those in the index, those deleted earlier, and one caught mid-change.
    /// </summary>
    Task<ImmutableArray<string>> CloseAsync();

    /// <summary>Removes the router's stored state, once its tenant's listeners are gone; for the tenant's deletion only.</summary>
    Task PurgeAsync();
}

/// <summary>A page of listeners and the tenant's total.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.ListenerPage")]
public sealed record ListenerPage(
    [property: Id(0)] ImmutableArray<ListenerView> Items,
    [property: Id(1)] int Total);
