using System.Text.Json;
using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Delivery.Log;

namespace Webhooks.Grains.Delivery;

/// <summary>
/// The delivery state machine of one listener: queueing, which deliveries are due, what an attempt's outcome
/// does to the delivery and to the listener's health, and the log's views. It also tracks which deliveries
/// changed since the last <see cref="TakeChanges"/>, so a write carries only those. Pure: no I/O, time passed
/// in, so it is tested without a cluster.
/// </summary>
/// <remarks>
/// Every operation on the write path costs O(log n) in the backlog at most: pending deliveries are kept in due
/// order, finished ones in log order, and counts are kept rather than recounted.
/// </remarks>
public sealed class DeliveryQueue
{
    /// <summary>
    /// Trimmed deliveries are removed from storage this many at a time. Each removal rewrites the oldest page of
    /// the listener's rows, so removing them one by one, with every write, rewrote that page once per commit;
    /// until a batch is full the rows stay stored, out of the log, and a reload trims them again.
    /// </summary>
    public const int RemovalBatch = 64;

    /// <summary>The reason a listener disabled by hand (<see cref="Disable"/>) shows.</summary>
    public const string DisabledByUser = "DisabledByUser";

    /// <summary>The reason a listener that answered 410 Gone shows: it said it is gone for good, so nothing is retried.</summary>
    public const string Gone = "Gone";

    private readonly DeliveryState _state;
    private readonly SortedSet<DeliveryRecord> _log = new(LogOrder.Instance);
    private readonly Dictionary<string, DeliveryRecord> _byEventId;
    private readonly SortedSet<DeliveryRecord> _pending = new(DueOrder.Instance);

    // Finished deliveries in two sets: the count cap (Trim) reaches only succeeded ones, so a failure stays for its
    // retention (Expire) however many successes follow it.
    private readonly SortedSet<DeliveryRecord> _succeeded = new(LogOrder.Instance);
    private readonly SortedSet<DeliveryRecord> _unsuccessful = new(LogOrder.Instance);

    // Apart from the finished ones, so the count cap (Trim) never reaches them: a parked delivery is work the
    // user has not decided about yet. Held in memory like the rest of the log (see the README on their cost).
    private readonly SortedSet<DeliveryRecord> _parked = new(LogOrder.Instance);
    private readonly HashSet<DeliveryRecord> _changed = [];
    private readonly List<long> _removed = [];
    private bool _removeAll;
    private bool _healthChanged;
    private long _lastSeq;

    public DeliveryQueue(DeliveryState state, IEnumerable<DeliveryRecord>? stored = null)
    {
        _state = state;
        _byEventId = new Dictionary<string, DeliveryRecord>(StringComparer.Ordinal);
        foreach (var record in stored ?? [])
        {
            _log.Add(record);
            _byEventId[record.EventId] = record;
            Index(record);
        }

        _lastSeq = _log.Max?.Seq ?? 0;
    }

    public DeliveryState State => _state;

    /// <summary>Every delivery in the log, oldest first.</summary>
    public IReadOnlyCollection<DeliveryRecord> Deliveries => _log;

    public int PendingCount => _pending.Count;

    public int ParkedCount => _parked.Count;

    public bool Contains(string eventId) => _byEventId.ContainsKey(eventId);

    public DeliveryRecord? Find(string eventId) => _byEventId.GetValueOrDefault(eventId);

    /// <summary>
    /// Queues an event for its first attempt now, or, while the listener is disabled, parks it (kept, not attempted);
    /// an event id already in the log is not queued again.
    /// </summary>
    public bool Enqueue(EventEnvelope envelope, bool isTest, DateTimeOffset now)
    {
        var parked = _state.Disabled && !isTest;
        if (_byEventId.TryGetValue(envelope.EventId, out var known))
        {
            // The same id as another stored event: published again after the first one's retention ended, it is a new
            // event (RetentionOptions.Events), and the old delivery, if finished, makes way for it.
            if (envelope.Seq is null || known.EventSeq is null || known.EventSeq == envelope.Seq || known.Status is DeliveryStatus.Pending or DeliveryStatus.Parked)
            {
                return false;
            }

            Unindex(known);
            Forget(known);
        }

        var record = new DeliveryRecord
        {
            Seq = ++_lastSeq,
            EventId = envelope.EventId,
            EventCode = envelope.EventCode,
            ResourceId = envelope.ResourceId,
            EventDate = envelope.EventDate,
            Payload = envelope.Payload,
            EventSeq = envelope.Seq,
            IsTest = isTest,
            Status = parked ? DeliveryStatus.Parked : DeliveryStatus.Pending,
            CreatedAt = now,
            FinishedAt = parked ? now : null,
            NextAttemptAt = parked ? null : now,
        };
        if (parked)
        {
            record.ReleaseContent(); // read back when it is released: a listener disabled for long may park very many
        }

        _log.Add(record);
        _byEventId.Add(record.EventId, record);
        Index(record);
        _changed.Add(record);
        return true;
    }

    /// <summary>Pending deliveries whose next attempt is due, oldest due first.</summary>
    public IEnumerable<DeliveryRecord> Due(DateTimeOffset now) => _pending.TakeWhile(d => d.NextAttemptAt <= now);

    /// <summary>Whether any pending delivery is due: a look at the earliest, without walking the set.</summary>
    public bool AnyDue(DateTimeOffset now) => _pending.Min is { } first && first.NextAttemptAt <= now;

    /// <summary>Records an attempt's outcome: success, the next scheduled attempt, or failure; and the listener's health.</summary>
    public void Record(DeliveryRecord record, int attempt, DateTimeOffset startedAt, AttemptOutcome outcome, DateTimeOffset now, RetryPolicy retries, TimeSpan disableAfter)
    {
        Unindex(record);
        _changed.Add(record);
        record.Attempts.Add(new AttemptView(attempt, startedAt, outcome.StatusCode, (long)outcome.Duration.TotalMilliseconds, outcome.Error, outcome.ResponseBody));
        if (outcome.Succeeded)
        {
            record.Status = DeliveryStatus.Succeeded;
            record.NextAttemptAt = null;
            record.FinishedAt = now;
            record.ReleaseContent();
            Index(record);
            if (!record.IsTest && _state.FailingSince is not null)
            {
                _state.FailingSince = null;
                _healthChanged = true;
            }

            return;
        }

        record.SeriesFailures++;
        if (outcome.StatusCode == 410 && !record.IsTest)
        {
            ParkAllAsGone(record, now);
            return;
        }

        var delay = record.IsTest ? null : retries.NextDelay(record.SeriesFailures, outcome.RetryAfter);
        record.Status = delay is null ? DeliveryStatus.Failed : DeliveryStatus.Pending;
        record.NextAttemptAt = delay is { } wait ? now + wait : null;
        if (record.Status == DeliveryStatus.Failed)
        {
            record.FinishedAt = now;
            record.ReleaseContent();
        }

        Index(record);
        if (record.IsTest)
        {
            return;
        }

        if (_state.FailingSince is null)
        {
            _state.FailingSince = startedAt;
            _healthChanged = true;
        }

        if (!_state.Disabled && now - _state.FailingSince.Value >= disableAfter)
        {
            _state.Disabled = true;
            _state.DisabledReason = $"Disabled automatically: every delivery attempt failed from {_state.FailingSince.Value:u} to {now:u}. Enable it to resume delivery.";
            _healthChanged = true;
        }
    }

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
        _succeeded.Clear();
        _unsuccessful.Clear();
        _parked.Clear();
        _changed.Clear();
        _removed.Clear();
        _removeAll = true;
    }

    /// <summary>True when the listener's health (<see cref="State"/>) changed since the last call.</summary>
    public bool TakeHealthChange()
    {
        var changed = _healthChanged;
        _healthChanged = false;
        return changed;
    }

    /// <summary>
    /// The deliveries added or changed since the last call, serialized now, as rows to store; and the trimmed ones
    /// to remove, once there are <see cref="RemovalBatch"/> of them (or all, when the listener was deleted).
    /// </summary>
    public DeliveryLogChanges TakeChanges()
    {
        var upserts = new DeliveryRow[_changed.Count];
        var i = 0;
        foreach (var record in _changed)
        {
            upserts[i++] = new DeliveryRow(record.Seq, record.Status, DeliveryRowJson.Serialize(record), record.EventSeq)
            {
                RetainedSince = record.Status == DeliveryStatus.Pending ? null : record.RetainedSince,
            };
        }

        Array.Sort(upserts, static (x, y) => x.Seq.CompareTo(y.Seq));
        long[] removals = _removed.Count >= RemovalBatch ? [.. _removed] : [];
        var changes = new DeliveryLogChanges(upserts, removals, _removeAll);
        _changed.Clear();
        if (removals.Length > 0 || _removeAll)
        {
            _removed.Clear();
        }

        _removeAll = false;
        return changes;
    }

    /// <summary>Reads a stored row back into a delivery, with its event's content when the row came with it.</summary>
    public static DeliveryRecord FromRow(DeliveryRow row)
    {
        var record = DeliveryRowJson.Deserialize(row.Record)
            ?? throw new JsonException($"Delivery row {row.Seq} is the JSON literal null.");
        record.Seq = row.Seq;
        record.EventSeq = row.EventSeq;
        record.FinishedAt = row.Status is DeliveryStatus.Pending ? null : row.RetainedSince;
        record.HasContent = row.EventSeq is null;
        if (row.EventSeq is not null && row.Content is { } content)
        {
            record.Attach(content);
        }

        return record;
    }

    /// <summary>One page of the log, newest first, optionally only one status.</summary>
    public DeliveryPage Page(DeliveryStatus? status, int pageNumber, int pageSize)
    {
        var matching = _log.Where(d => status is null || d.Status == status).ToList();
        var items = Enumerable.Range(0, matching.Count).Reverse()
            .Skip(PageOffset.Of(pageNumber, pageSize)).Take(pageSize)
            .Select(i => View(matching[i]));
        return new DeliveryPage([.. items], matching.Count);
    }

    public static DeliveryView View(DeliveryRecord d) => new(
        d.EventId, d.EventCode, d.Status, d.CreatedAt, d.NextAttemptAt,
        [.. d.Attempts]);

    private void Restart(DeliveryRecord record, DateTimeOffset now)
    {
        Unindex(record);
        record.Status = DeliveryStatus.Pending;
        record.SeriesFailures = 0;
        record.NextAttemptAt = now;
        record.FinishedAt = null;
        Index(record);
        _changed.Add(record);
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

    // Out of the log, its row removed with a later write (see RemovalBatch); the caller has taken it out of its set.
    private void Forget(DeliveryRecord record)
    {
        _log.Remove(record);
        _byEventId.Remove(record.EventId);
        _changed.Remove(record);
        _removed.Add(record.Seq);
    }

    private void Index(DeliveryRecord record) =>
        (record.Status switch
        {
            DeliveryStatus.Pending => _pending,
            DeliveryStatus.Parked => _parked,
            DeliveryStatus.Succeeded => _succeeded,
            _ => _unsuccessful,
        }).Add(record);

    // Called before a record's status or schedule changes: the sets are ordered by those.
    private void Unindex(DeliveryRecord record)
    {
        if (!_pending.Remove(record) && !_parked.Remove(record) && !_succeeded.Remove(record))
        {
            _unsuccessful.Remove(record);
        }
    }

    private sealed class DueOrder : IComparer<DeliveryRecord>
    {
        public static readonly DueOrder Instance = new();

        public int Compare(DeliveryRecord? x, DeliveryRecord? y)
        {
            var byDue = Nullable.Compare(x!.NextAttemptAt, y!.NextAttemptAt);
            return byDue != 0 ? byDue : x.Seq.CompareTo(y.Seq);
        }
    }

    private sealed class LogOrder : IComparer<DeliveryRecord>
    {
        public static readonly LogOrder Instance = new();

        public int Compare(DeliveryRecord? x, DeliveryRecord? y) => x!.Seq.CompareTo(y!.Seq);
    }
}
