using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Abstractions.Listeners;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Delivery.Log;
using Webhooks.Grains.Publishing;
using Webhooks.Grains.Retention;
using Webhooks.Grains.Signing;
using Webhooks.Grains.Storage;
using Webhooks.Grains.Telemetry;

namespace Webhooks.Grains.Listeners;

/// <summary>
/// One listener: its definition, signing secrets and delivery queue. The definition only ever changes through
/// <see cref="ApplyAsync"/>, called by the tenant's router, which keeps the routing index in step (see
/// <c>EventRouterGrain</c> for the protocol). Delivery lives in <c>ListenerGrain.Delivery.cs</c>.
/// </summary>
/// <remarks>The grain type stays <c>webhook</c>, the name stored in every listener's grain id since the first schema.</remarks>
[GrainType("webhook")]
public sealed partial class ListenerGrain(
    [PersistentState("listener", WebhooksStorage.ProviderName)] IPersistentState<ListenerState> listener,
    [PersistentState("deliveries", WebhooksStorage.ProviderName)] IPersistentState<DeliveryState> deliveries,
    TimeProvider time,
    IOptions<DeliveryOptions> options,
    IOptions<RetentionOptions> retention,
    IDeliveryLog log,
    IWakeUps wakeUps,
    IAcceptedEvents events,
    IDeliverySender sender,
    SignedBodies bodies,
    SecretProtector protector,
    WebhooksMetrics metrics,
    ILogger<ListenerGrain> logger) : Grain, IListenerGrain, IRemindable
{
    // Enough to cover every operation a crashed router could still have in flight.
    private const int FencesKept = 16;

    private ListenerKeys? _keys;
    private DeliverySigner? _signer;
    private ImmutableDictionary<string, string>? _headers;

    private ListenerState State => listener.State;

    private DeliverySigner Signer => _signer ??= new DeliverySigner(bodies, protector, time);

    /// <summary>The listener's secrets as stored, one instance until they change (the signer keeps them open until then).</summary>
    private ListenerKeys Keys() => _keys ??= new ListenerKeys(State.ProtectedSecret!, State.PreviousProtectedSecret, State.PreviousSecretExpiresAt);

    /// <summary>The listener's own request headers in clear, opened once until they change; never logged.</summary>
    private ImmutableDictionary<string, string> Headers() => _headers ??= protector.UnprotectListenerHeaders(State.ProtectedHeaders);

    public Task<ListenerView?> GetAsync() => Task.FromResult(View());

    public async Task<ListenerResolution> ApplyAsync(ListenerChange change)
    {
        if (State.LastOperationId == change.OperationId)
        {
            return new ListenerResolution(true, View());
        }

        if (State.FencedOperationIds.Contains(change.OperationId))
        {
            return new ListenerResolution(false, View());
        }

        if (State.TenantId is not null && State.TenantId != change.TenantId)
        {
            throw new InvalidOperationException("A listener never changes tenant.");
        }

        var now = time.GetUtcNow();
        var deleted = change.Definition is null;
        string? created = null;
        if (change.Definition is { } definition)
        {
            if (!State.Exists)
            {
                State.TenantId = change.TenantId;
                State.CreatedAt = now;
                State.Deleted = false;
                created = ListenerSecrets.Create(); // the listener's own; the router hands it to the caller once
                State.ProtectedSecret = protector.ProtectListenerSecret(created);
            }

            State.Uri = definition.Uri;
            State.Subscriptions = definition.Subscriptions;
            State.Description = definition.Description;
            State.MaxDeliveriesPerSecond = definition.MaxDeliveriesPerSecond;
            State.Ordering = definition.Ordering;
            State.Signatures = definition.Signatures;
            var headers = definition.Headers ?? protector.UnprotectListenerHeaders(definition.ProtectedHeaders);
            State.ProtectedHeaders = protector.ProtectListenerHeaders(ListenerHeaderRules.Merge(headers, Headers()));
        }
        else
        {
            State.Deleted = true;
            State.ProtectedSecret = State.PreviousProtectedSecret = State.ProtectedHeaders = null;
        }

        State.UpdatedAt = now;
        State.LastOperationId = change.OperationId;
        await PersistAsync();
        _keys = null; // the signer opens the new secrets at the next attempt
        _headers = null;
        if (deleted)
        {
            await ForgetDeliveriesAsync();
        }
        else
        {
            Queue.SetOrdering(State.Ordering); // rebuilds the heads when it changed; attempts out keep their resources held
            Pump();
        }

        return new ListenerResolution(true, View(), created);
    }

    public async Task<ListenerResolution> ResolveAsync(Guid operationId)
    {
        if (State.LastOperationId == operationId)
        {
            return new ListenerResolution(true, View());
        }

        if (!State.FencedOperationIds.Contains(operationId))
        {
            State.FencedOperationIds.Add(operationId);
            if (State.FencedOperationIds.Count > FencesKept)
            {
                State.FencedOperationIds.RemoveAt(0);
            }

            await PersistAsync();
        }

        return new ListenerResolution(false, View());
    }

    public async Task<string?> RotateSecretAsync(string tenantId)
    {
        if (!IsOwnedBy(tenantId))
        {
            return null;
        }

        var secret = ListenerSecrets.Create();
        State.PreviousProtectedSecret = State.ProtectedSecret;
        State.PreviousSecretExpiresAt = time.GetUtcNow() + options.Value.SecretRotationOverlap;
        State.ProtectedSecret = protector.ProtectListenerSecret(secret);
        await PersistAsync();
        _keys = null; // the signer opens the new secrets at the next attempt
        return secret;
    }

    // The state in memory already holds the change when a write fails, and the write may or may not have reached
    // the database. Were this activation kept, ResolveAsync would answer from memory and the router could index a
    // change that was never stored (or miss one that was), so it is dropped: the next activation, which serves the
    // router's ResolveAsync, answers from what is actually stored.
    private Task PersistAsync() => this.WriteOrDeactivateAsync(listener);

    private bool IsOwnedBy(string tenantId) => State.Exists && !_stopped && State.TenantId == tenantId;

    private ListenerView? View() => State.Exists
        ? new ListenerView(
            this.GetPrimaryKeyString(), State.TenantId!, State.Uri!, State.Subscriptions, State.Description,
            !deliveries.State.Disabled, deliveries.State.DisabledReason, State.CreatedAt, State.UpdatedAt, State.MaxDeliveriesPerSecond,
            State.Ordering, State.ProtectedHeaders is null ? null : ListenerHeaderRules.Masked(Headers()),
            State.Signatures)
        : null;
}
