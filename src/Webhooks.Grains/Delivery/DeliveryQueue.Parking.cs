using Webhooks.Abstractions.Delivery;

namespace Webhooks.Grains.Delivery;

/// <summary>Parking and requeueing: what a disabled or gone listener does with its deliveries, releasing them on enable, and redelivery and recovery of finished ones.</summary>
public sealed partial class DeliveryQueue
{
    /// <summary>
    /// <paramref name="answered"/>'s attempt got 410 Gone: the listener is disabled at once (reason <see cref="Gone"/>,
    /// unless it was disabled already), and every pending delivery, the answered one included, is parked rather than
    /// retried or failed: enabling the listener again (the endpoint restored) delivers them all, or skips them.
    /// </summary>
    private void ParkAllAsGone(DeliveryRecord answered, DateTimeOffset now)
    {
        if (!_state.Disabled)
        {
            _state.Disabled = true;
            _state.DisabledReason = Gone;
            _healthChanged = true;
        }

        Park(answered, now); // Record took it out of the pending set already
        foreach (var record in _pending.ToList())
        {
            Unindex(record);
            Park(record, now);
        }
    }

    // Released, a parked delivery starts the retry schedule afresh; the caller has taken it out of its set.
    private void Park(DeliveryRecord record, DateTimeOffset now)
    {
        record.Status = DeliveryStatus.Parked;
        record.NextAttemptAt = null;
        record.SeriesFailures = 0;
        record.FinishedAt = now;
        record.ReleaseContent();
        Index(record);
        _changed.Add(record);
    }

    /// <summary>
    /// Disables the listener by hand: attempts stop, pending deliveries wait, new events are parked. A listener
    /// already disabled keeps the reason it has (the automatic one says since when its attempts failed).
    /// </summary>
    public void Disable()
    {
        if (_state.Disabled)
        {
            return;
        }

        _state.Disabled = true;
        _state.DisabledReason = DisabledByUser;
        _healthChanged = true;
    }

    /// <summary>The parked deliveries <see cref="ReleaseParked"/> releases next, oldest first.</summary>
    public IReadOnlyList<DeliveryRecord> NextParked(int max) => [.. _parked.Take(max)];

    /// <summary>
    /// Releases up to <paramref name="max"/> parked deliveries, oldest first: as pending ones due at once, in order of
    /// acceptance (<paramref name="replay"/>), or as skipped ones that are never attempted. Returns how many.
    /// </summary>
    /// <remarks>
    /// Replayed deliveries are due from their acceptance time, so they sort ahead of anything queued after them and
    /// among themselves in the order they were accepted; the retry schedule starts from there as for any delivery.
    /// </remarks>
    public int ReleaseParked(bool replay, int max, DateTimeOffset now)
    {
        var released = _parked.Take(max).ToList();
        foreach (var record in released)
        {
            _parked.Remove(record);
            record.Status = replay ? DeliveryStatus.Pending : DeliveryStatus.Skipped;
            record.NextAttemptAt = replay ? (record.CreatedAt < now ? record.CreatedAt : now) : null;
            record.FinishedAt = replay ? null : now;
            Index(record);
            _changed.Add(record);
        }

        return released.Count;
    }

    /// <summary>Turns a disabled listener back on; its pending deliveries resume. Parked ones are released first (<see cref="ReleaseParked"/>).</summary>
    public void Enable()
    {
        _healthChanged |= _state.Disabled || _state.FailingSince is not null;
        _state.Disabled = false;
        _state.DisabledReason = null;
        _state.FailingSince = null;
    }

    /// <summary>
    /// Starts a fresh attempt series for a finished delivery; false when there is no such delivery, it is still pending
    /// or parked, or its event's content is not in memory (<see cref="DeliveryRecord.Attach"/> it first).
    /// </summary>
    public bool Redeliver(string eventId, DateTimeOffset now)
    {
        if (!_byEventId.TryGetValue(eventId, out var record) || record.Status is DeliveryStatus.Pending or DeliveryStatus.Parked || !record.HasContent)
        {
            return false;
        }

        Restart(record, now);
        return true;
    }

    /// <summary>
    /// Re-queues every failed delivery created at or after <paramref name="since"/> and, when given, before
    /// <paramref name="until"/> (exclusive), whose event's content is in memory (<see cref="DeliveryRecord.Attach"/>);
    /// returns how many.
    /// </summary>
    public int Recover(DateTimeOffset since, DateTimeOffset? until, DateTimeOffset now)
    {
        var failed = _unsuccessful.Where(d => IsRecoverable(d, since, until) && d.HasContent).ToList();
        failed.ForEach(d => Restart(d, now));
        return failed.Count;
    }

    /// <summary>Whether <paramref name="delivery"/> is one that a recovery of [<paramref name="since"/>, <paramref name="until"/>) re-queues.</summary>
    public static bool IsRecoverable(DeliveryRecord delivery, DateTimeOffset since, DateTimeOffset? until) =>
        delivery.Status == DeliveryStatus.Failed && delivery.CreatedAt >= since && (until is null || delivery.CreatedAt < until);
}
