using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using Webhooks.Abstractions;
using Webhooks.Abstractions.Catalog;
using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Limits;
using Webhooks.Abstractions.Listeners;
using Webhooks.Abstractions.Routing;
using Webhooks.Abstractions.Tenants;
using Webhooks.Grains.Signing;
using Webhooks.Grains.Storage;

namespace Webhooks.Grains.Routing;

/// <summary>
/// A tenant's router: the only writer of its listeners' definitions and of the index that routes events to them.
/// </summary>
/// <remarks>
/// Invariant: once a router call has returned, or after any crash and reactivation, the index holds a
/// listener exactly when that listener exists, with exactly its subscriptions.
///
/// The index and the listener live in two storage rows that cannot be written atomically, so every change
/// runs as a small two-phase protocol with this grain as coordinator:
/// 1. record the intent (<see cref="RouterState.Pending"/>: operation id, listener, new definition) and persist it;
/// 2. apply the change to the listener, which persists it together with the operation id;
/// 3. record the outcome in the index and clear the intent, in one write.
/// A crash anywhere leaves either no intent (nothing happened, or everything did) or an intent that is resolved
/// before this grain serves anything else: on activation it asks the listener whether the operation took
/// effect. If it did, the index adopts the listener's definition; if not, the listener fences the operation id,
/// so a message still in flight from before the crash can never apply it later. The grain is not reentrant, so
/// no routing decision is made while a change is between steps.
/// </remarks>
public sealed class EventRouterGrain(
    [PersistentState("router", WebhooksStorage.ProviderName)] IPersistentState<RouterState> router,
    IOptions<WebhooksLimitsOptions> limits,
    SecretProtector protector)
    : Grain, IEventRouterGrain
{
    private const int RecoverConcurrency = 32;

    // Listeners a tenant's deletion stops at once: a bound on the calls in flight, not on the tenant's size.
    private const int ListenersAtOnce = 64;

    private readonly RoutingIndex _index = new();
    private readonly Dictionary<string, ListenerOutbox> _outboxes = new(StringComparer.Ordinal);
    private bool _purged;

    private string TenantId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var (id, listener) in router.State.Listeners)
        {
            _index.Set(id, listener);
        }

        await ResolvePendingAsync();
    }

    public async Task<CreatedListener?> AddAsync(ListenerDefinition definition)
    {
        ThrowIfClosed();

        // This grain is not reentrant and is the only place listeners are added, so the count cannot change
        // between this check and the commit: concurrent adds are served one after another.
        if (_index.Count >= limits.Value.MaxListenersPerTenant)
        {
            return null;
        }

        return await ChangeAsync(ResourceIds.NewListenerId(), definition) is { Current: { } view, Secret: { } secret }
            ? new CreatedListener(view, secret)
            : throw new InvalidOperationException("A new listener was refused by its own grain.");
    }

    public async Task<ListenerView?> UpdateAsync(string listenerId, ListenerDefinition definition)
    {
        ThrowIfClosed();
        return _index.Contains(listenerId) ? (await ChangeAsync(listenerId, definition)).Current : null;
    }

    public async Task<bool> RemoveAsync(string listenerId)
    {
        ThrowIfClosed();
        if (!_index.Contains(listenerId))
        {
            return false;
        }

        await ChangeAsync(listenerId, definition: null);
        return true;
    }

    public async Task<ListenerPage> ListAsync(int pageNumber, int pageSize)
    {
        var ids = _index.InOrder(PageOffset.Of(pageNumber, pageSize), pageSize).ToArray();
        var views = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<IListenerGrain>(id).GetAsync()));
        return new ListenerPage([.. views.OfType<ListenerView>()], _index.Count);
    }

    public Task<ImmutableArray<string>> MatchAsync(string eventCode) =>
        Task.FromResult(OperationalEventTypes.IsOperational(eventCode) ? _index.MatchExactly(eventCode) : _index.Match(eventCode));

    public async Task<ImmutableArray<string>> PublishAsync(EventEnvelope envelope)
    {
        ThrowIfClosed();
        // An operational event goes to the listeners that asked for it by name, never to the one it is about.
        var matching = OperationalEventTypes.IsOperational(envelope.EventCode)
            ? _index.MatchExactly(envelope.EventCode).RemoveAll(id => id == envelope.ResourceId)
            : _index.Match(envelope.EventCode);
        var queued = await Task.WhenAll(matching.Select(id => Outbox(id).EnqueueAsync(envelope)));
        var taken = ImmutableArray.CreateBuilder<string>(matching.Length);
        for (var i = 0; i < matching.Length; i++)
        {
            if (queued[i])
            {
                taken.Add(matching[i]);
            }
        }

        return taken.DrainToImmutable();
    }

    public async Task<int> RecoverAsync(DateTimeOffset since, DateTimeOffset? until)
    {
        ThrowIfClosed();

        // A bounded number of listeners at a time: a tenant may have thousands, and each recovery writes.
        var total = 0;
        foreach (var chunk in _index.InOrder(0, _index.Count).ToArray().Chunk(RecoverConcurrency))
        {
            var counts = await Task.WhenAll(chunk.Select(id => Listener(id).RecoverAsync(TenantId, since, until)));
            total += counts.Sum(c => c ?? 0);
        }

        return total;
    }

    // Not read-only, so it waits for the fan-outs in progress: once it has returned, no publish reaches a listener.
    public async Task<ImmutableArray<string>> CloseAsync()
    {
        var state = router.State;
        if (!state.Closed)
        {
            state.Closed = true;
            await PersistAsync();
        }

        var live = state.Listeners.Keys.ToList();
        foreach (var batch in live.Chunk(ListenersAtOnce))
        {
            await Task.WhenAll(batch.Select(id => Listener(id).StopAsync()));
        }

        return [.. live.Concat(state.Retired).Append(state.Pending?.ListenerId).OfType<string>().Distinct(StringComparer.Ordinal)];
    }

    public async Task PurgeAsync()
    {
        if (!router.State.Closed)
        {
            throw new InvalidOperationException("Only a closed router, whose tenant is being deleted, is purged.");
        }

        await router.ClearStateAsync();

        // The cleared state would read as an open, empty router: this activation keeps refusing until it is gone.
        _purged = true;
        DeactivateOnIdle();
    }

    private void ThrowIfClosed()
    {
        if (router.State.Closed || _purged)
        {
            throw new TenantDeletedException(TenantId);
        }
    }

    /// <summary>The listener's outbox while events are on their way to it; an idle one is dropped.</summary>
    private ListenerOutbox Outbox(string listenerId)
    {
        if (!_outboxes.TryGetValue(listenerId, out var outbox))
        {
            outbox = new ListenerOutbox(Listener(listenerId), () => _outboxes.Remove(listenerId));
            _outboxes.Add(listenerId, outbox);
        }

        return outbox;
    }

    private async Task<ListenerResolution> ChangeAsync(string listenerId, ListenerDefinition? definition)
    {
        // The listener's own headers may be credentials: protected before the intent is stored, never at rest in clear.
        if (definition is { Headers: { } headers })
        {
            if (ListenerHeaderRules.Error([.. headers.Select(h => KeyValuePair.Create(h.Key, (string?)h.Value))]) is { } error)
            {
                throw new ArgumentException(error, nameof(definition));
            }

            definition = definition with { Headers = null, ProtectedHeaders = protector.ProtectListenerHeaders(headers) };
        }

        var change = new ListenerChange(Guid.NewGuid(), TenantId, definition);
        router.State.Pending = new PendingChange(change.OperationId, listenerId, definition);
        await PersistAsync();

        ListenerResolution outcome;
        try
        {
            outcome = await Listener(listenerId).ApplyAsync(change);
        }
        catch
        {
            // The listener may or may not have applied the change; only it can say, so ask it now, and if
            // even that fails, let the next activation ask before anything is routed.
            try
            {
                await ResolvePendingAsync();
            }
            catch
            {
                DeactivateOnIdle();
            }

            throw;
        }

        await CommitAsync(listenerId, outcome);
        return outcome;
    }

    private async Task ResolvePendingAsync()
    {
        if (router.State.Pending is { } pending)
        {
            var outcome = await Listener(pending.ListenerId).ResolveAsync(pending.OperationId);
            await CommitAsync(pending.ListenerId, outcome);
        }
    }

    private async Task CommitAsync(string listenerId, ListenerResolution outcome)
    {
        var state = router.State;
        if (outcome.Applied)
        {
            if (outcome.Current is { } current)
            {
                var sequence = state.Listeners.TryGetValue(listenerId, out var existing) ? existing.Sequence : state.NextSequence++;
                state.Listeners[listenerId] = new RoutedListener(current.Subscriptions, sequence);
            }
            else if (state.Listeners.Remove(listenerId))
            {
                state.Retired.Add(listenerId);
            }
        }
        else if (!state.Listeners.ContainsKey(listenerId) && !state.Retired.Contains(listenerId))
        {
            state.Retired.Add(listenerId); // a refused add: the listener's grain still stores the fence
        }

        state.Pending = null;
        await PersistAsync();

        if (state.Listeners.TryGetValue(listenerId, out var routed))
        {
            _index.Set(listenerId, routed);
        }
        else
        {
            _index.Remove(listenerId);
        }
    }

    // A failed write leaves the state in memory ahead of the index (CommitAsync updates the index only after its
    // write) and possibly ahead of the database, so this activation would route by an index that disagrees with
    // the listeners. It is dropped instead: the next activation rebuilds the index from the stored state and
    // resolves any stored intent before serving anything.
    private Task PersistAsync() => this.WriteOrDeactivateAsync(router);

    private IListenerGrain Listener(string listenerId) => GrainFactory.GetGrain<IListenerGrain>(listenerId);
}
