using System.Text.Json;
using Webhooks.Delivery.Log;

namespace Webhooks.Delivery;

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

    private readonly DeliveryState _state;
    private readonly SortedSet<DeliveryRecord> _log = new(LogOrder.Instance);
    private readonly Dictionary<string, DeliveryRecord> _byEventId;
    private readonly SortedSet<DeliveryRecord> _pending = new(DueOrder.Instance);
    private readonly SortedSet<DeliveryRecord> _finished = new(LogOrder.Instance);
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

    public bool Contains(string eventId) => _byEventId.ContainsKey(eventId);

    public DeliveryRecord? Find(string eventId) => _byEventId.GetValueOrDefault(eventId);

    /// <summary>Queues an event for its first attempt now; an event id already in the log is not queued again.</summary>
    public bool Enqueue(EventEnvelope envelope, bool isTest, DateTimeOffset now)
    {
        if (_byEventId.ContainsKey(envelope.EventId))
        {
            return false;
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
            Status = DeliveryStatus.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
        };
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
        var delay = record.IsTest ? null : retries.NextDelay(record.SeriesFailures, outcome.RetryAfter);
        record.Status = delay is null ? DeliveryStatus.Failed : DeliveryStatus.Pending;
        record.NextAttemptAt = delay is { } wait ? now + wait : null;
        if (record.Status == DeliveryStatus.Failed)
        {
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

    /// <summary>Turns a disabled listener back on; its pending deliveries resume.</summary>
    public void Enable()
    {
        _healthChanged |= _state.Disabled || _state.FailingSince is not null;
        _state.Disabled = false;
        _state.DisabledReason = null;
        _state.FailingSince = null;
    }

    /// <summary>
    /// Starts a fresh attempt series for a finished delivery; false when there is no such delivery, it is still pending,
    /// or its event's content is not in memory (<see cref="DeliveryRecord.Attach"/> it first).
    /// </summary>
    public bool Redeliver(string eventId, DateTimeOffset now)
    {
        if (!_byEventId.TryGetValue(eventId, out var record) || record.Status == DeliveryStatus.Pending || !record.HasContent)
        {
            return false;
        }

        Restart(record, now);
        return true;
    }

    /// <summary>
    /// Re-queues every failed delivery created at or after <paramref name="since"/> whose event's content is in memory
    /// (<see cref="DeliveryRecord.Attach"/>); returns how many.
    /// </summary>
    public int Recover(DateTimeOffset since, DateTimeOffset now)
    {
        var failed = _finished.Where(d => d.Status == DeliveryStatus.Failed && d.CreatedAt >= since && d.HasContent).ToList();
        failed.ForEach(d => Restart(d, now));
        return failed.Count;
    }

    /// <summary>
    /// Ends, as failed and with no attempt, every pending delivery whose event's content could not be read (the event
    /// is no longer stored): there is nothing to send. Returns how many.
    /// </summary>
    public int AbandonWithoutContent()
    {
        var orphans = _pending.Where(d => !d.HasContent).ToList();
        foreach (var record in orphans)
        {
            Unindex(record);
            record.Status = DeliveryStatus.Failed;
            record.NextAttemptAt = null;
            Index(record);
            _changed.Add(record);
        }

        return orphans.Count;
    }

    /// <summary>Drops the oldest finished deliveries beyond <paramref name="retention"/>; pending ones are always kept.</summary>
    public void Trim(int retention)
    {
        while (_finished.Count > retention)
        {
            var oldest = _finished.Min!;
            _finished.Remove(oldest);
            _log.Remove(oldest);
            _byEventId.Remove(oldest.EventId);
            _changed.Remove(oldest);
            _removed.Add(oldest.Seq);
        }
    }

    /// <summary>Forgets every delivery (the listener was deleted).</summary>
    public void Clear()
    {
        _log.Clear();
        _byEventId.Clear();
        _pending.Clear();
        _finished.Clear();
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
            upserts[i++] = new DeliveryRow(record.Seq, record.Status, DeliveryRowJson.Serialize(record), record.EventSeq);
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
        Index(record);
        _changed.Add(record);
    }

    private void Index(DeliveryRecord record) =>
        (record.Status == DeliveryStatus.Pending ? _pending : _finished).Add(record);

    // Called before a record's status or schedule changes: the sets are ordered by those.
    private void Unindex(DeliveryRecord record)
    {
        if (!_pending.Remove(record))
        {
            _finished.Remove(record);
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
