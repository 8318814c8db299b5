using Webhooks.Abstractions.Listeners;
using Webhooks.Grains.Delivery;

namespace Webhooks.Grains.Listeners;

/// <summary>
/// The listener's stats (<see cref="ListenerStats"/>): every recorded attempt but the test event's is counted in the
/// delivery health's <see cref="Delivery.Stats.AttemptStats"/>, which is written with the health when that changes, or
/// else with an outcome's write at most once a minute, and when the activation ends.
/// </summary>
/// <remarks>
/// Counts are not worth a write per attempt: a silo that dies loses at most the last minute's, and the next
/// activation goes on from what was stored. The concurrency limit is this activation's (it starts again at the
/// configured initial limit).
/// </remarks>
public sealed partial class ListenerGrain
{
    private static readonly TimeSpan StatsWriteInterval = TimeSpan.FromMinutes(1);

    private bool _statsDirty;
    private bool _statsFinalWrite;
    private DateTimeOffset _statsWrittenAt;

    public Task<ListenerStats?> GetStatsAsync(string tenantId)
    {
        if (!IsOwnedBy(tenantId))
        {
            return Task.FromResult<ListenerStats?>(null);
        }

        var now = time.GetUtcNow();
        var stats = deliveries.State.Stats;
        return Task.FromResult<ListenerStats?>(new ListenerStats(
            stats.LastHour(now), stats.LastDay(now), Queue.PendingCount, Queue.ParkedCount, _pump!.Limit, stats.LastError));
    }

    private void CountAttempt(DeliveryRecord delivery, AttemptOutcome outcome, DateTimeOffset at)
    {
        if (!delivery.IsTest)
        {
            deliveries.State.Stats.Record(at, delivery.EventId, outcome.Succeeded, outcome.Duration, outcome.StatusCode, outcome.Error);
            _statsDirty = true;
        }
    }

    /// <summary>Whether this flush writes the counts: with the health anyway, else once a minute, or at the activation's end.</summary>
    private bool TakeStatsWrite(bool healthChanged)
    {
        var now = time.GetUtcNow();
        if (!_statsDirty || !(healthChanged || _statsFinalWrite || now - _statsWrittenAt >= StatsWriteInterval))
        {
            return false;
        }

        _statsDirty = _statsFinalWrite = false;
        _statsWrittenAt = now;
        return true;
    }

    /// <summary>At the activation's end, stores the counts not yet written; a failure loses only them.</summary>
    private async Task WriteLastStatsAsync(CancellationToken cancellationToken)
    {
        if (!_statsDirty || _stopped || !State.Exists || _writer is null)
        {
            return;
        }

        _statsFinalWrite = true;
        try
        {
            await _writer.WriteAsync().WaitAsync(cancellationToken);
        }
        catch
        {
            // Counts only: the deliveries' own outcomes were written with their attempts.
        }
    }
}
