using System.Collections.Immutable;
using Webhooks.Abstractions.Catalog;
using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Listeners;
using Webhooks.Grains.Delivery;

namespace Webhooks.Grains.Listeners;

/// <summary>
/// The listener's delivery log as its callers see it: events taken into the queue (or parked while the listener is
/// disabled), the Test button, the log's pages, redelivery and recovery, and enabling or disabling the listener.
/// Each command changes the queue in memory and answers once the change is stored (with the wake-up row, when it
/// leaves something pending); the attempts themselves are the pump's (<c>ListenerGrain.Delivery.cs</c>).
/// </summary>
public sealed partial class ListenerGrain
{
    public async Task<ImmutableArray<bool>> EnqueueAsync(ImmutableArray<EventEnvelope> envelopes)
    {
        var taken = ImmutableArray.CreateBuilder<bool>(envelopes.Length);
        var queued = false;
        var parked = false;
        var repeated = false;
        var now = time.GetUtcNow();
        foreach (var envelope in envelopes)
        {
            if (!State.Exists || State.TenantId != envelope.TenantId || _stopped)
            {
                taken.Add(false);
                continue;
            }

            // A disabled listener parks the event (DeliveryQueue.Enqueue): it is taken, and stored like any other.
            if (Queue.Enqueue(envelope, isTest: false, now))
            {
                var status = Queue.Find(envelope.EventId)!.Status;
                queued |= status == DeliveryStatus.Pending;
                parked |= status == DeliveryStatus.Parked;
            }
            else
            {
                repeated |= Queue.Find(envelope.EventId) is { Status: DeliveryStatus.Pending };
            }

            taken.Add(true);
        }

        // Accepted means durable, the wake-up included: had the silo died after answering but before the wake-up row
        // was stored, the deliveries would sit on storage with nothing to bring this listener back. Both writes run at once.
        if (queued)
        {
            await WriteWithWakeUpAsync(alongside: true);
            Pump();
        }
        else if (parked)
        {
            TrimLog(); // a disabled listener has no outcomes to trim after: parked ones past their retention leave here
            await WriteDeliveriesAsync(); // nothing to wake up for: parked deliveries wait for the listener to be enabled
        }
        else if (repeated)
        {
            await WakeUps.Request(listed: true); // a publish repeated after one whose wake-up row failed
        }

        return taken.MoveToImmutable();
    }

    public async Task<string?> TestAsync(string tenantId)
    {
        if (!IsOwnedBy(tenantId))
        {
            return null;
        }

        var eventId = EnqueueTest(tenantId);
        await WriteDeliveriesAsync();
        Pump();
        return eventId;
    }

    // Reads trim the log first, so a quiet listener does not show deliveries past their retention. Safe in a read:
    // it only changes memory, without awaiting, and the removals go with the next write.
    public Task<DeliveryPage?> GetDeliveriesAsync(string tenantId, DeliveryStatus? status, int pageNumber, int pageSize) =>
        Task.FromResult(IsOwnedBy(tenantId) ? TrimmedLog().Page(status, pageNumber, pageSize) : null);

    public Task<DeliveryView?> GetDeliveryAsync(string tenantId, string eventId) =>
        Task.FromResult(IsOwnedBy(tenantId) && TrimmedLog().Find(eventId) is { } delivery ? DeliveryQueue.View(delivery) : null);

    public async Task<bool?> RedeliverAsync(string tenantId, string eventId)
    {
        if (!IsOwnedBy(tenantId))
        {
            return null;
        }

        if (TrimmedLog().Find(eventId) is { Status: not DeliveryStatus.Pending } finished)
        {
            await ReadContentAsync([finished]);
        }

        if (!Queue.Redeliver(eventId, time.GetUtcNow()))
        {
            return false;
        }

        // Like an enqueue, a redelivery is answered only once its wake-up is stored too.
        await WriteWithWakeUpAsync();
        Pump();
        return true;
    }

    public async Task<int?> RecoverAsync(string tenantId, DateTimeOffset since, DateTimeOffset? until)
    {
        if (!IsOwnedBy(tenantId))
        {
            return null;
        }

        await ReadContentAsync([.. TrimmedLog().Deliveries.Where(d => DeliveryQueue.IsRecoverable(d, since, until))]);
        var requeued = Queue.Recover(since, until, time.GetUtcNow());
        if (requeued > 0)
        {
            await WriteWithWakeUpAsync();
            Pump();
        }

        return requeued;
    }

    public async Task<ListenerView?> EnableAsync(string tenantId, bool replayParked)
    {
        if (!IsOwnedBy(tenantId))
        {
            return null;
        }

        TrimLog(); // parked ones past their retention are not released: their events may be gone
        // Parked deliveries are released a batch at a time, each batch on storage before the next, while the
        // listener is still disabled: a crash part-way leaves every one either released (pending, which resumes on
        // enable like any delivery that was pending when the listener was disabled, or skipped) or still parked,
        // and the listener disabled, so enabling again finishes the job. Events parked meanwhile (enqueues
        // interleave) are released by the same loop; the last look and the enable share one turn.
        var now = time.GetUtcNow();
        // A parked delivery keeps no payload in memory: each batch to replay reads its events first, and one whose
        // event is no longer stored ends as failed instead of being attempted with nothing to send.
        while (Queue.NextParked(ReleaseBatch) is { Count: > 0 } batch)
        {
            if (replayParked)
            {
                await ReadContentAsync(batch);
            }

            Queue.ReleaseParked(replayParked, batch.Count, now);
            if (Queue.AbandonWithoutContent(now) is > 0 and var abandoned)
            {
                LogEventsGone(logger, this.GetPrimaryKeyString(), abandoned);
            }

            await WriteDeliveriesAsync();
        }

        if (deliveries.State.Disabled)
        {
            Queue.Enable();
            Announce(OperationalEventTypes.Enabled, AnnouncedReasons.EnabledByUser, LastStatusCode(), LastError());
            await (Queue.PendingCount > 0 ? WriteWithWakeUpAsync() : WriteDeliveriesAsync());
            PublishAnnouncements();
            Pump();
        }

        return View();
    }

    public async Task<ListenerView?> DisableAsync(string tenantId)
    {
        if (!IsOwnedBy(tenantId))
        {
            return null;
        }

        if (!deliveries.State.Disabled)
        {
            Queue.Disable();
            Announce(OperationalEventTypes.Disabled, AnnouncedReasons.DisabledByUser, LastStatusCode(), LastError());
        }

        await WriteDeliveriesAsync();
        PublishAnnouncements();
        Pump(); // stops the poll timer; attempts already out finish and are recorded
        return View();
    }

    // The count cap, then the ages (RetentionOptions): what the log shows and holds in memory; their rows follow.
    private void TrimLog()
    {
        var now = time.GetUtcNow();
        var r = retention.Value;
        Queue.Trim(options.Value.LogRetention, options.Value.FailedLogRetention);
        Queue.Expire(now - r.SucceededDeliveries, now - r.FailedDeliveries);
    }

    private DeliveryQueue TrimmedLog()
    {
        TrimLog();
        return Queue;
    }

    /// <summary>
    /// Reads back the stored events of finished deliveries about to be attempted again: a finished delivery does not
    /// keep its payload in memory. One whose event is no longer stored stays without, and is not attempted again.
    /// </summary>
    private async Task ReadContentAsync(IReadOnlyCollection<DeliveryRecord> deliveries)
    {
        var missing = deliveries.Where(d => !d.HasContent && d.EventSeq is not null).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var contents = await events.GetContentAsync([.. missing.Select(d => d.EventSeq!.Value)]);
        foreach (var delivery in missing)
        {
            if (contents.TryGetValue(delivery.EventSeq!.Value, out var content))
            {
                delivery.Attach(content);
            }
        }
    }
}
