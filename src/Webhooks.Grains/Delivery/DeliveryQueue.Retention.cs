using Webhooks.Abstractions.Delivery;

namespace Webhooks.Grains.Delivery;

/// <summary>What the log keeps: the count caps and the ages of finished deliveries, deliveries whose events are gone, and forgetting a deleted listener's.</summary>
public sealed partial class DeliveryQueue
{
    /// <summary>
    /// Ends, as failed and with no attempt, every pending delivery whose event's content could not be read (the event
    /// is no longer stored): there is nothing to send. Returns how many.
    /// </summary>
    public int AbandonWithoutContent(DateTimeOffset now)
    {
        var orphans = _pending.Where(d => !d.HasContent).ToList();
        foreach (var record in orphans)
        {
            Unindex(record);
            record.Status = DeliveryStatus.Failed;
            record.NextAttemptAt = null;
            record.FinishedAt = now;
            Index(record);
            _changed.Add(record);
        }

        return orphans.Count;
    }

    /// <summary>
    /// Drops the oldest succeeded deliveries beyond <paramref name="retention"/>, and the oldest failed or skipped ones
    /// beyond <paramref name="failedRetention"/>: caps on the log's size, apart from the ages (<see cref="Expire"/>).
    /// </summary>
    /// <remarks>
    /// Each kind is counted on its own: successes arriving for other events never push out a failure (still to be
    /// recovered). Parked deliveries are not counted at all (work the user has yet to decide about), nor pending ones.
    /// </remarks>
    public void Trim(int retention, int failedRetention = int.MaxValue)
    {
        Cap(_succeeded, retention);
        Cap(_unsuccessful, failedRetention);
    }

    /// <summary>
    /// Drops the deliveries that succeeded before <paramref name="succeededBefore"/>, and those that failed or were
    /// skipped or parked before <paramref name="failedBefore"/>; pending ones are always kept. Returns how many.
    /// </summary>
    /// <remarks>
    /// Each set is in log order, which is acceptance order, and a delivery finishes after it is accepted, so this reads
    /// only the deliveries accepted before the cutoff: those it drops, and the few that finished late. Cheap enough for
    /// every write. Their rows leave storage <see cref="RemovalBatch"/> at a time, or with the retention sweeper,
    /// whichever comes first.
    /// </remarks>
    public int Expire(DateTimeOffset succeededBefore, DateTimeOffset failedBefore) =>
        Drop(_succeeded, succeededBefore) + Drop(_unsuccessful, failedBefore) + Drop(_parked, failedBefore);

    /// <summary>Forgets every delivery (the listener was deleted).</summary>
    public void Clear()
    {
        _log.Clear();
        _byEventId.Clear();
        _pending.Clear();
        _pendingTests.Clear();
        _succeeded.Clear();
        _unsuccessful.Clear();
        _parked.Clear();
        ClearOrder();
        _changed.Clear();
        _removed.Clear();
        _removeAll = true;
    }

    private void Cap(SortedSet<DeliveryRecord> set, int count)
    {
        while (set.Count > count)
        {
            var oldest = set.Min!;
            set.Remove(oldest);
            Forget(oldest);
        }
    }

    private int Drop(SortedSet<DeliveryRecord> set, DateTimeOffset before)
    {
        if (set.Min is not { } oldest || oldest.CreatedAt >= before)
        {
            return 0; // nearly always, on the write path: nothing to walk
        }

        var expired = set.TakeWhile(d => d.CreatedAt < before).Where(d => d.RetainedSince < before).ToList();
        foreach (var record in expired)
        {
            set.Remove(record);
            Forget(record);
        }

        return expired.Count;
    }
}
