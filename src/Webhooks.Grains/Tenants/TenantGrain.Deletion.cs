using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Webhooks.Abstractions.Listeners;
using Webhooks.Abstractions.Routing;
using Webhooks.Abstractions.Tenants;
using Webhooks.Grains.Storage;

namespace Webhooks.Grains.Tenants;

/// <summary>
/// Deleting a tenant: deactivated at once, then every row of it removed in the background, in bounded steps that
/// survive a crash at any point.
/// </summary>
/// <remarks>
/// <para>
/// Before <see cref="DeleteAsync"/> answers, three things are stored or done, in this order: the tenant's deleting
/// state (from then on its keys verify nowhere, and every listener activation sees it), its row on the wake-up list
/// (<see cref="Webhooks.Grains.Delivery.IWakeUps"/>) that resumes the removal after a crash, and the router's closing (no publish or change gets through, and every listener is stopped).
/// </para>
/// <para>
/// The removal then goes listener by listener (its grain state and wake-up row, then its rows of
/// <see cref="TenantTables.ByListener"/> in batches), then the tenant's rows of <see cref="TenantTables.ByTenant"/>,
/// then the router's state, and the tenant's own state last: whatever a crash interrupts, the tenant is still stored
/// as deleting, its router still knows every listener, and the next run (the next wake-up, or any call to this
/// grain) starts over. Every step is idempotent, so starting over only repeats work already done.
/// </para>
/// </remarks>
public sealed partial class TenantGrain
{
    /// <summary>The reminder earlier versions resumed a removal with; one still stored in a host's reminder service is removed.</summary>
    private const string LegacyRemovalReminder = "deletion";

    // Small enough that a batch is a short transaction (and a short hold on SQLite's one writer), large enough that a
    // listener's whole log of finished deliveries goes in a few.
    private const int RowsPerBatch = 500;
    private const int ListenersAtOnce = 8;

    private Task<ImmutableArray<string>>? _closing;
    private Task? _removal;

    // Set once the state is cleared. On PostgreSQL the cleared state keeps an ETag that no stored row has, so this
    // activation could not store a new tenant under the id: only the next one, which starts from nothing, may.
    private bool _removed;

    private string TenantId => this.GetPrimaryKeyString();

    private IEventRouterGrain Router => GrainFactory.GetGrain<IEventRouterGrain>(TenantId);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (tenant.State.DeletingSince is not null)
        {
            StartRemoval(); // any call after a restart resumes the removal, without waiting for a wake-up
        }

        return Task.CompletedTask;
    }

    public async Task<TenantView?> DeleteAsync()
    {
        if (!tenant.State.Exists)
        {
            return null;
        }

        if (tenant.State.DeletingSince is null)
        {
            tenant.State.DeletingSince = time.GetUtcNow();
            await PersistAsync();
            LogDeletionAccepted(logger, TenantId);
        }

        // Every silo's start, and each wake interval, wakes the tenants on the list: a crash resumes the removal.
        await wakeUps.AddAsync(this.GetGrainId());
        await CloseRouterAsync();
        StartRemoval();
        return View();
    }

    public Task<bool> IsDeletingAsync() => Task.FromResult(tenant.State.DeletingSince is not null);

    // Activation resumes a removal under way; a tenant woken with none clears a row its last removal left behind.
    public async Task WakeAsync()
    {
        if (tenant.State.DeletingSince is null && !_removed)
        {
            await wakeUps.RemoveAsync(this.GetGrainId());
        }
    }

    // Only a host's reminder service still holding a reminder of an earlier version calls this: its work is the
    // wake-up list's now.
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (tenant.State.DeletingSince is not null)
        {
            await wakeUps.AddAsync(this.GetGrainId());
        }

        if (reminderName == LegacyRemovalReminder && await this.GetReminder(LegacyRemovalReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>Closes the router once per activation: after the removal has purged it, closing again would store it anew.</summary>
    private Task<ImmutableArray<string>> CloseRouterAsync()
    {
        if (_closing is null || _closing.IsFaulted || _closing.IsCanceled)
        {
            _closing = Router.CloseAsync();
        }

        return _closing;
    }

    private void StartRemoval()
    {
        if (_removal is null || _removal.IsCompleted)
        {
            _removal = RemoveAsync();
        }
    }

    private async Task RemoveAsync()
    {
        try
        {
            var listeners = await CloseRouterAsync();
            foreach (var batch in listeners.Chunk(ListenersAtOnce))
            {
                await Task.WhenAll(batch.Select(RemoveListenerAsync));
            }

            foreach (var table in TenantTables.ByTenant)
            {
                await RemoveRowsAsync(table, TenantId);
            }

            await Router.PurgeAsync();
            await tenant.ClearStateAsync();
            _removed = true;
            await wakeUps.RemoveAsync(this.GetGrainId());

            LogDeleted(logger, TenantId, listeners.Length);
            DeactivateOnIdle();
        }
        catch (Exception ex)
        {
            LogRemovalFailed(logger, ex, TenantId);
        }
    }

    private async Task RemoveListenerAsync(string listenerId)
    {
        // The grain first: once it is purged nothing writes the listener's rows any more.
        await GrainFactory.GetGrain<IListenerGrain>(listenerId).PurgeAsync();
        foreach (var table in TenantTables.ByListener)
        {
            await RemoveRowsAsync(table, listenerId);
        }
    }

    private async Task RemoveRowsAsync(TenantTable table, string owner)
    {
        while (await rows.RemoveBatchAsync(table, owner, RowsPerBatch) > 0)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {TenantId}: deletion accepted; its data is being removed")]
    private static partial void LogDeletionAccepted(ILogger logger, string tenantId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {TenantId}: deleted, with its {ListenerCount} listeners and all their data")]
    private static partial void LogDeleted(ILogger logger, string tenantId, int listenerCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tenant {TenantId}: removing its data failed; the next wake-up resumes it")]
    private static partial void LogRemovalFailed(ILogger logger, Exception exception, string tenantId);
}
