using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Listeners;

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
public sealed partial class DeliveryQueue
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

    // The pending test events again, apart: a disabled listener still sends its tests (DueTests), and must find them
    // without walking a backlog that waits for it to be enabled.
    private readonly SortedSet<DeliveryRecord> _pendingTests = new(DueOrder.Instance);

    // Finished deliveries in two sets: the count cap (Trim) reaches only succeeded ones, so a failure stays for its
    // retention (Expire) however many successes follow it.
    private readonly SortedSet<DeliveryRecord> _succeeded = new(LogOrder.Instance);
    private readonly SortedSet<DeliveryRecord> _unsuccessful = new(LogOrder.Instance);

    // Apart from the finished ones, so the count cap (Trim) never reaches them: a parked delivery is work the
    // user has not decided about yet. Held in memory like the rest of the log (docs/api.md, "Deliveries", gives their cost).
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

    /// <summary>
    /// Pending deliveries whose next attempt is due, oldest due first; in an ordered listener only the heads of their
    /// ordering keys (<see cref="Ordering"/>), as the others may not start yet.
    /// </summary>
    public IEnumerable<DeliveryRecord> Due(DateTimeOffset now) => Startable.TakeWhile(d => d.NextAttemptAt <= now);

    /// <summary>Whether any delivery <see cref="Due"/> returns is due: a look at the earliest, without walking the set.</summary>
    public bool AnyDue(DateTimeOffset now) => Startable.Min is { } first && first.NextAttemptAt <= now;

    private SortedSet<DeliveryRecord> Startable => _ordering == ListenerOrdering.None ? _pending : _heads;

    /// <summary>Pending test events whose attempt is due, oldest due first: what a disabled listener still sends.</summary>
    public IEnumerable<DeliveryRecord> DueTests(DateTimeOffset now) => _pendingTests.TakeWhile(d => d.NextAttemptAt <= now);

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

    /// <summary>True when the listener's health (<see cref="State"/>) changed since the last call.</summary>
    public bool TakeHealthChange()
    {
        var changed = _healthChanged;
        _healthChanged = false;
        return changed;
    }

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

    // Out of the log, its row removed with a later write (see RemovalBatch); the caller has taken it out of its set.
    private void Forget(DeliveryRecord record)
    {
        _log.Remove(record);
        _byEventId.Remove(record.EventId);
        _changed.Remove(record);
        _removed.Add(record.Seq);
    }

    private void Index(DeliveryRecord record)
    {
        if (record is { IsTest: true, Status: DeliveryStatus.Pending })
        {
            _pendingTests.Add(record);
        }

        (record.Status switch
        {
            DeliveryStatus.Pending => _pending,
            DeliveryStatus.Parked => _parked,
            DeliveryStatus.Succeeded => _succeeded,
            _ => _unsuccessful,
        }).Add(record);
        if (record.Status == DeliveryStatus.Pending && _ordering != ListenerOrdering.None)
        {
            AddToOrder(record);
        }
    }

    // Called before a record's status or schedule changes: the sets are ordered by those.
    private void Unindex(DeliveryRecord record)
    {
        if (record.IsTest)
        {
            _pendingTests.Remove(record);
        }

        if (_pending.Remove(record))
        {
            if (_ordering != ListenerOrdering.None)
            {
                RemoveFromOrder(record);
            }

            return;
        }

        if (!_parked.Remove(record) && !_succeeded.Remove(record))
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
