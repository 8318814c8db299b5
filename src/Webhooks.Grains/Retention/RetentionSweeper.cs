using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Grains.Hosting;

namespace Webhooks.Grains.Retention;

/// <summary>
/// Removes, every <see cref="RetentionOptions.SweepInterval"/>, what is past its retention (<see cref="RetentionOptions"/>):
/// finished deliveries, then events no delivery waits for, then event ids from before events were stored once; each a
/// bounded batch at a time (<see cref="RetentionOptions.SweepBatch"/>), so no sweep holds a long transaction.
/// </summary>
/// <remarks>
/// <para>
/// Invariants: a pending delivery is never removed, nor the event a pending or parked delivery needs; every other row
/// is removed within a sweep interval or so of its retention running out. Each batch is one short transaction that is
/// safe to repeat, so a crash mid-sweep loses nothing and the next pass (on any silo) finishes the job.
/// </para>
/// <para>
/// Every silo sweeps. On PostgreSQL two silos' batches skip the rows the other holds, so they share the work rather
/// than wait; on SQLite there is one process. A finished delivery's retention runs from when it finished (a parked one's
/// from when it was parked), an event's from when it was accepted.
/// </para>
/// <para>
/// Listeners trim their own logs in memory by the same ages (<see cref="Delivery.DeliveryQueue.Expire"/>): the sweeper
/// reaches what rests in storage, including the logs of listeners that are not active.
/// </para>
/// </remarks>
public sealed partial class RetentionSweeper(
    IRetentionStore store,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionSweeper> logger) : SiloBackgroundWork
{
    /// <summary>One pass: removes everything past its retention now, batch by batch; returns what it removed.</summary>
    public async Task<SweepResult> SweepAsync(CancellationToken cancellation = default)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var (succeededBefore, failedBefore) = (now - o.SucceededDeliveries, now - o.FailedDeliveries);

        // Deliveries whose event is gone (swept while they were still pending, or just finishing) are in range too.
        var gone = (await store.FirstEventAsync() ?? long.MaxValue) - 1;
        var cutoffs = new DeliveryCutoffs(
            Math.Max(await store.LastEventBeforeAsync(succeededBefore) ?? 0, gone), succeededBefore,
            Math.Max(await store.LastEventBeforeAsync(failedBefore) ?? 0, gone), failedBefore);
        var deliveries = await InBatchesAsync(from => store.RemoveDeliveriesAsync(from, cutoffs, o.SweepBatch), o.SweepBatch, cancellation);

        // An event whose publish never completed (the publisher gave up midway) may still be published again, which
        // finishes it; it is kept twice as long. One still in flight must never go: its deliveries are being stored.
        var eventsCutoff = now - o.Events;
        var events = await store.LastEventBeforeAsync(eventsCutoff) is { } eventsUpTo
            ? await InBatchesAsync(from => store.RemoveEventsAsync(from, eventsUpTo, eventsCutoff, eventsCutoff - o.Events, o.SweepBatch), o.SweepBatch, cancellation)
            : 0;

        var (legacy, removed) = (0, 0);
        do
        {
            removed = await store.RemoveLegacyEventIdsAsync(eventsCutoff, o.SweepBatch);
            legacy += removed;
        }
        while (removed == o.SweepBatch && !cancellation.IsCancellationRequested);

        var result = new SweepResult(deliveries, events, legacy);
        if (result.Total > 0)
        {
            LogSwept(logger, deliveries, events, legacy);
        }

        return result;
    }

    // Batches walk forward in event order until one comes back short: the rows the pass keeps are read once.
    private static async Task<int> InBatchesAsync(Func<long, Task<SweptBatch>> batch, int size, CancellationToken cancellation)
    {
        var (total, from) = (0, 0L);
        while (!cancellation.IsCancellationRequested)
        {
            var swept = await batch(from);
            total += swept.Removed;
            if (swept.Removed < size)
            {
                break;
            }

            from = swept.LastEvent; // not past it: more of that event's rows may be due
        }

        return total;
    }

    protected override async Task RunAsync(CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(cancellation);
            }
            catch (Exception ex) when (!cancellation.IsCancellationRequested)
            {
                // The database away, a batch refused: nothing is half-done, and the next pass starts over.
                LogSweepFailed(logger, ex);
            }

            try
            {
                await Task.Delay(options.Value.SweepInterval, time, cancellation);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention removed {Deliveries} deliveries, {Events} events and {Legacy} older event ids")]
    private static partial void LogSwept(ILogger logger, int deliveries, int events, int legacy);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A retention sweep failed; the next one starts over")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
