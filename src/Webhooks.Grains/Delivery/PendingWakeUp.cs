using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Abstractions.Listeners;
using Webhooks.Abstractions.Tenants;
using Webhooks.Grains.Hosting;

namespace Webhooks.Grains.Delivery;

/// <summary>
/// Wakes the grains on the wake-up list (<see cref="IWakeUps"/>: listeners with pending deliveries, tenants being
/// deleted) when this silo starts, when another silo leaves the cluster or dies, and every
/// <see cref="DeliveryOptions.WakeInterval"/>, so that their work resumes within seconds of a restart, and within one
/// interval of anything else that stopped it (a grain deactivated after a failed write, a silo that died unseen).
/// </summary>
/// <remarks>
/// <para>
/// Invariant: every listener with a pending delivery, and every tenant whose deletion is unfinished, is on the list (a
/// listener answers an accepted event only once its row is stored, and removes it only when a wake-up finds nothing
/// pending; a tenant's deletion is answered only once its row is stored, and the row goes with the tenant's state).
/// So the list is a superset of the grains with work outstanding, and small: one row per grain, never per delivery.
/// </para>
/// <para>
/// At start-up the silo wakes every grain on the list: it cannot tell whether the other members in the membership
/// table are alive or the stale incarnations of a crashed cluster awaiting their death declaration, and waking a grain
/// that is already active costs one message. When a member is declared dead (or leaves), and at every interval, the
/// active silos of the membership snapshot, in address order, cut the ring of grain hashes into equal shares
/// (<see cref="HashRange.ShareOf"/>) and each wakes its own, so each grain is woken once. Silos that act on different
/// snapshots may wake a few grains twice or not at all; the next interval's pass covers those.
/// </para>
/// <para>
/// At most <see cref="WakesInFlight"/> wakes are in flight at once, so a long list does not activate every grain at
/// once. A pass that fails (the database not back yet, a grain failing to activate) is retried a few times with
/// growing pauses, then left to the next interval; it never fails the silo, nor delays its start.
/// </para>
/// </remarks>
internal sealed partial class PendingWakeUp(
    IWakeUps wakeUps,
    IClusterMembershipService membership,
    ILocalSiloDetails localSilo,
    IGrainFactory grains,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<PendingWakeUp> logger) : SiloBackgroundWork
{
    /// <summary>Grain activations one pass asks for at once.</summary>
    private const int WakesInFlight = 8;

    private const int Attempts = 5;
    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);

    private readonly GrainType _listenerType = grains.GetGrain<IListenerGrain>("-").GetGrainId().Type;
    private readonly GrainType _tenantType = grains.GetGrain<ITenantGrain>("-").GetGrainId().Type;

    protected override async Task RunAsync(CancellationToken cancellation)
    {
        // Taken before the start-up pass, so that a death during it is still seen as new afterwards.
        var dead = Dead(membership.CurrentSnapshot);
        await WakePassAsync("silo start", HashRange.Whole, cancellation);
        await Task.WhenAll(WatchDeparturesAsync(dead, cancellation), WakeEveryIntervalAsync(cancellation));
    }

    private async Task WatchDeparturesAsync(ImmutableHashSet<SiloAddress> dead, CancellationToken cancellation)
    {
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancellation))
            {
                var nowDead = Dead(snapshot);
                var departed = nowDead.Except(dead);
                dead = nowDead;
                if (!departed.IsEmpty && MyShare(snapshot) is { } share)
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

    private async Task WakeEveryIntervalAsync(CancellationToken cancellation)
    {
        using var timer = new PeriodicTimer(options.Value.WakeInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellation))
            {
                if (MyShare(membership.CurrentSnapshot) is { } share)
                {
                    await WakePassAsync("wake interval", share, cancellation);
                }
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
    }

    private HashRange? MyShare(ClusterMembershipSnapshot snapshot) =>
        HashRange.ShareOf(
            localSilo.SiloAddress,
            snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress));

    /// <summary>Wakes every grain on the list in <paramref name="range"/>, retrying what failed.</summary>
    private async Task WakePassAsync(string reason, HashRange range, CancellationToken cancellation)
    {
        var started = time.GetTimestamp();
        List<GrainId>? listed = null;
        var woken = 0;
        var pause = FirstPause;
        for (var attempt = 1; ; attempt++)
        {
            Exception error;
            try
            {
                listed ??= [.. (await wakeUps.ReadAsync(cancellation)).Where(g => range.Contains(g.GetUniformHashCode()))];
                var failed = await WakeAllAsync(listed, cancellation);
                woken += listed.Count - failed.Count;
                if (failed.IsEmpty)
                {
                    if (woken > 0)
                    {
                        LogWoken(logger, woken, reason, (long)time.GetElapsedTime(started).TotalMilliseconds);
                    }

                    return;
                }

                listed = [.. failed.Keys];
                error = failed.Values.First();
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                error = ex;
            }

            if (attempt == Attempts)
            {
                LogGaveUp(logger, error, reason, Attempts, woken);
                return;
            }

            LogPassFailed(logger, error, reason, attempt, pause.TotalSeconds);
            try
            {
                await Task.Delay(pause, time, cancellation);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            pause *= 2;
        }
    }

    /// <summary>Wakes <paramref name="listed"/>, a bounded number at a time; returns those that failed, with why.</summary>
    private async Task<ConcurrentDictionary<GrainId, Exception>> WakeAllAsync(List<GrainId> listed, CancellationToken cancellation)
    {
        var failed = new ConcurrentDictionary<GrainId, Exception>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = WakesInFlight, CancellationToken = cancellation };
        await Parallel.ForEachAsync(listed, parallel, async (grain, _) =>
        {
            try
            {
                await WakeAsync(grain);
            }
            catch (Exception ex)
            {
                failed[grain] = ex;
            }
        });
        return failed;
    }

    private Task WakeAsync(GrainId grain) =>
        grain.Type == _listenerType ? grains.GetGrain<IListenerGrain>(grain).WakeAsync()
        : grain.Type == _tenantType ? grains.GetGrain<ITenantGrain>(grain).WakeAsync()
        : wakeUps.RemoveAsync(grain); // of no grain type the dispatcher has now: nothing to wake


    private static ImmutableHashSet<SiloAddress> Dead(ClusterMembershipSnapshot snapshot) =>
        [.. snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress)];

    [LoggerMessage(Level = LogLevel.Information, Message = "Woke {Count} grains with work outstanding ({Reason}) in {ElapsedMs} ms")]
    private static partial void LogWoken(ILogger logger, int count, string reason, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waking the grains with work outstanding ({Reason}) failed on attempt {Attempt}; trying again in {PauseSeconds} s")]
    private static partial void LogPassFailed(ILogger logger, Exception exception, string reason, int attempt, double pauseSeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Waking the grains with work outstanding ({Reason}) failed {Attempts} times ({Woken} woken); the others wait for the next wake interval")]
    private static partial void LogGaveUp(ILogger logger, Exception exception, string reason, int attempts, int woken);

    [LoggerMessage(Level = LogLevel.Error, Message = "Watching the cluster for departed silos stopped; grains they hosted wait for the next wake interval")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception);
}
