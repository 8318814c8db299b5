using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Webhooks.Hosting;
using Webhooks.Listeners;

namespace Webhooks.Delivery;

/// <summary>
/// Wakes the listeners with pending deliveries when this silo starts and when another silo leaves the cluster or
/// dies, so that their deliveries go out within seconds instead of at their wake-up reminder's next tick, up to a
/// wake interval later.
/// </summary>
/// <remarks>
/// <para>
/// Invariant: every listener with a pending delivery has its wake-up reminder stored (a listener answers an accepted
/// event only once the reminder is stored, and removes it only after a tick that found nothing pending). So the
/// reminder table's rows named <see cref="WebhookGrain.WakeReminder"/> of the listener grain type are a superset of
/// the listeners with pending work, small, and readable by hash range without any index on the delivery log.
/// </para>
/// <para>
/// At start-up the silo wakes every such listener: it cannot tell whether the other members in the membership table
/// are alive or the stale incarnations of a crashed cluster awaiting their death declaration, and waking a listener
/// that is already active costs one message. When a member is declared dead (or leaves), the listeners it hosted
/// are unknown, so the survivors wake them all between them: the active silos of that membership snapshot, in
/// address order, cut the ring of grain hashes into equal shares (<see cref="HashRange.ShareOf"/>) and each wakes
/// its own, so each listener is woken once. Survivors that act on different snapshots may wake a few listeners twice
/// or not at all; the reminder remains the backstop for those.
/// </para>
/// <para>
/// At most <see cref="WakesInFlight"/> wakes are in flight at once, so a large backlog does not activate every
/// listener at once. A pass that fails (the database not back yet, a listener failing to activate) is retried a few
/// times with growing pauses, then left to the reminders; it never fails the silo, nor delays its start.
/// </para>
/// </remarks>
internal sealed partial class PendingWakeUp(
    IReminderTable reminders,
    IClusterMembershipService membership,
    ILocalSiloDetails localSilo,
    IGrainFactory grains,
    TimeProvider time,
    ILogger<PendingWakeUp> logger) : SiloBackgroundWork
{
    /// <summary>Listener activations one pass asks for at once.</summary>
    private const int WakesInFlight = 8;

    private const int Attempts = 5;
    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);

    protected override async Task RunAsync(CancellationToken cancellation)
    {
        try
        {
            // Taken before the start-up pass, so that a death during it is still seen as new afterwards.
            var dead = Dead(membership.CurrentSnapshot);
            await WakePassAsync("silo start", HashRange.Whole, cancellation);
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancellation))
            {
                var nowDead = Dead(snapshot);
                var departed = nowDead.Except(dead);
                dead = nowDead;
                if (departed.IsEmpty)
                {
                    continue;
                }

                var active = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress);
                if (HashRange.ShareOf(localSilo.SiloAddress, active) is { } share)
                {
                    await WakePassAsync($"{string.Join(", ", departed)} left the cluster", share, cancellation);
                }
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogWatchFailed(logger, ex);
        }
    }

    /// <summary>Wakes every listener with a stored wake-up reminder in <paramref name="range"/>, retrying what failed.</summary>
    private async Task WakePassAsync(string reason, HashRange range, CancellationToken cancellation)
    {
        var started = time.GetTimestamp();
        List<GrainId>? listeners = null;
        var woken = 0;
        var pause = FirstPause;
        for (var attempt = 1; ; attempt++)
        {
            Exception error;
            try
            {
                listeners ??= await PendingListenersAsync(range, cancellation);
                var failed = await WakeAllAsync(listeners, cancellation);
                woken += listeners.Count - failed.Count;
                if (failed.IsEmpty)
                {
                    LogWoken(logger, woken, reason, (long)time.GetElapsedTime(started).TotalMilliseconds);
                    return;
                }

                listeners = [.. failed.Keys];
                error = failed.Values.First();
            }
            catch (Exception ex) when (!cancellation.IsCancellationRequested)
            {
                error = ex;
            }

            if (attempt == Attempts)
            {
                LogGaveUp(logger, error, reason, Attempts, woken);
                return;
            }

            LogPassFailed(logger, error, reason, attempt, pause.TotalSeconds);
            await Task.Delay(pause, time, cancellation);
            pause *= 2;
        }
    }

    private async Task<List<GrainId>> PendingListenersAsync(HashRange range, CancellationToken cancellation)
    {
        var listenerType = grains.GetGrain<IWebhookGrain>("-").GetGrainId().Type;
        var rows = await reminders.ReadRows(range.Begin, range.End, cancellation);
        return
        [
            .. rows.Reminders
                .Where(r => r.ReminderName == WebhookGrain.WakeReminder && r.GrainId.Type == listenerType && range.Contains(r.GrainId.GetUniformHashCode()))
                .Select(r => r.GrainId)
                .Distinct(),
        ];
    }

    /// <summary>Wakes <paramref name="listeners"/>, a bounded number at a time; returns those that failed, with why.</summary>
    private async Task<ConcurrentDictionary<GrainId, Exception>> WakeAllAsync(List<GrainId> listeners, CancellationToken cancellation)
    {
        var failed = new ConcurrentDictionary<GrainId, Exception>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = WakesInFlight, CancellationToken = cancellation };
        await Parallel.ForEachAsync(listeners, options, async (listener, _) =>
        {
            try
            {
                await grains.GetGrain<IWebhookGrain>(listener).WakeAsync();
            }
            catch (Exception ex)
            {
                failed[listener] = ex;
            }
        });
        return failed;
    }

    private static ImmutableHashSet<SiloAddress> Dead(ClusterMembershipSnapshot snapshot) =>
        [.. snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress)];

    [LoggerMessage(Level = LogLevel.Information, Message = "Woke {Count} listeners with pending deliveries ({Reason}) in {ElapsedMs} ms")]
    private static partial void LogWoken(ILogger logger, int count, string reason, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waking the listeners with pending deliveries ({Reason}) failed on attempt {Attempt}; trying again in {PauseSeconds} s")]
    private static partial void LogPassFailed(ILogger logger, Exception exception, string reason, int attempt, double pauseSeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Waking the listeners with pending deliveries ({Reason}) failed {Attempts} times ({Woken} woken); the others wait for their wake-up reminders")]
    private static partial void LogGaveUp(ILogger logger, Exception exception, string reason, int attempts, int woken);

    [LoggerMessage(Level = LogLevel.Error, Message = "Watching the cluster for departed silos stopped; listeners they hosted wait for their wake-up reminders")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception);
}
