using Webhooks.Abstractions.Tenants;
using Webhooks.Grains.Delivery;

namespace Webhooks.Grains.Listeners;

/// <summary>
/// The tenant's deletion, as a listener sees it: stopped at once, then its stored state and wake-up row removed.
/// </summary>
/// <remarks>
/// A stopped listener attempts nothing, queues nothing and answers its tenant's calls as if it did not exist. The stop
/// is not stored here: the tenant's deleting state is the one record of it, and every activation of a listener reads
/// it before anything else, so a listener woken after a restart (by any wake-up)
/// sends nothing for a tenant that is being deleted.
/// </remarks>
public sealed partial class ListenerGrain
{
    private bool _stopped;

    public Task StopAsync()
    {
        Stop();
        return Task.CompletedTask;
    }

    public async Task PurgeAsync()
    {
        Stop();

        // A write already out lands first, so none lands after the caller has removed the rows; nothing starts another.
        try
        {
            await _writer!.WriteAsync();
        }
        catch
        {
            // Whatever it was, it is about to be removed.
        }

        await WakeUps.Request(listed: false, force: true); // after any change still on its way
        if (listener.RecordExists)
        {
            await listener.ClearStateAsync();
        }

        if (deliveries.RecordExists)
        {
            await deliveries.ClearStateAsync();
        }

        DeactivateOnIdle();
    }

    /// <summary>On activation: true, and this activation stopped with an empty queue, when the listener's tenant is being deleted.</summary>
    private async Task<bool> StoppedForTenantDeletionAsync()
    {
        if (State.TenantId is not { } tenantId || !await GrainFactory.GetGrain<ITenantGrain>(tenantId).IsDeletingAsync())
        {
            return false;
        }

        // Its rows are not even read: they are about to be removed, and a large backlog would only slow the deletion.
        _queue = new DeliveryQueue(deliveries.State, []);
        _writer = new CoalescingWriter(FlushAsync);
        _stopped = true;
        return true;
    }

    private void Stop()
    {
        _stopped = true;
        if (State.TenantId is { } tenantId)
        {
            bodies.Forget(tenantId); // the silo that signed for this listener keeps no copy of the deleted tenant's key
        }

        _stopping.Cancel(); // attempts in flight are abandoned unrecorded, as when the silo stops
        Pump(); // which, with nothing pending now, drops the poll timer
    }
}
