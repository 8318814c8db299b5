using System.Collections.Immutable;

namespace Webhooks.Delivery;

/// <summary>
/// The delivery state machine of one listener, over its persisted <see cref="DeliveryState"/>: queueing,
/// which deliveries are due, what an attempt's outcome does to the delivery and to the listener's health,
/// and the log's views. Pure: no I/O, time passed in, so it is tested without a cluster.
/// </summary>
public sealed class DeliveryQueue
{
    private readonly DeliveryState _state;
    private readonly Dictionary<string, DeliveryRecord> _byEventId;

    public DeliveryQueue(DeliveryState state)
    {
        _state = state;
        _byEventId = state.Deliveries.ToDictionary(d => d.EventId, StringComparer.Ordinal);
    }

    public DeliveryState State => _state;

    public int PendingCount => _state.Deliveries.Count(d => d.Status == DeliveryStatus.Pending);

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
            EventId = envelope.EventId,
            EventCode = envelope.EventCode,
            ResourceId = envelope.ResourceId,
            EventDate = envelope.EventDate,
            Payload = envelope.Payload,
            IsTest = isTest,
            Status = DeliveryStatus.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
        };
        _state.Deliveries.Add(record);
        _byEventId.Add(record.EventId, record);
        return true;
    }

    /// <summary>Pending deliveries whose next attempt is due, oldest due first.</summary>
    public IEnumerable<DeliveryRecord> Due(DateTimeOffset now) =>
        _state.Deliveries
            .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now)
            .OrderBy(d => d.NextAttemptAt);

    /// <summary>Records an attempt's outcome: success, the next scheduled attempt, or failure; and the listener's health.</summary>
    public void Record(DeliveryRecord record, int attempt, DateTimeOffset startedAt, AttemptOutcome outcome, DateTimeOffset now, RetryPolicy retries, TimeSpan disableAfter)
    {
        record.Attempts.Add(new AttemptView(attempt, startedAt, outcome.StatusCode, (long)outcome.Duration.TotalMilliseconds, outcome.Error, outcome.ResponseBody));
        if (outcome.Succeeded)
        {
            record.Status = DeliveryStatus.Succeeded;
            record.NextAttemptAt = null;
            if (!record.IsTest)
            {
                _state.FailingSince = null;
            }

            return;
        }

        record.SeriesFailures++;
        var delay = record.IsTest ? null : retries.NextDelay(record.SeriesFailures, outcome.RetryAfter);
        record.Status = delay is null ? DeliveryStatus.Failed : DeliveryStatus.Pending;
        record.NextAttemptAt = delay is { } wait ? now + wait : null;
        if (record.IsTest)
        {
            return;
        }

        _state.FailingSince ??= startedAt;
        if (!_state.Disabled && now - _state.FailingSince.Value >= disableAfter)
        {
            _state.Disabled = true;
            _state.DisabledReason = $"Disabled automatically: every delivery attempt failed from {_state.FailingSince.Value:u} to {now:u}. Enable it to resume delivery.";
        }
    }

    /// <summary>Turns a disabled listener back on; its pending deliveries resume.</summary>
    public void Enable()
    {
        _state.Disabled = false;
        _state.DisabledReason = null;
        _state.FailingSince = null;
    }

    /// <summary>Starts a fresh attempt series for a finished delivery; false when there is no such delivery or it is still pending.</summary>
    public bool Redeliver(string eventId, DateTimeOffset now)
    {
        if (!_byEventId.TryGetValue(eventId, out var record) || record.Status == DeliveryStatus.Pending)
        {
            return false;
        }

        Restart(record, now);
        return true;
    }

    /// <summary>Re-queues every failed delivery created at or after <paramref name="since"/>; returns how many.</summary>
    public int Recover(DateTimeOffset since, DateTimeOffset now)
    {
        var failed = _state.Deliveries.Where(d => d.Status == DeliveryStatus.Failed && d.CreatedAt >= since).ToList();
        failed.ForEach(d => Restart(d, now));
        return failed.Count;
    }

    /// <summary>Drops the oldest finished deliveries beyond <paramref name="retention"/>; pending ones are always kept.</summary>
    public void Trim(int retention)
    {
        var finished = _state.Deliveries.Count(d => d.Status != DeliveryStatus.Pending);
        for (var i = 0; finished > retention && i < _state.Deliveries.Count;)
        {
            var record = _state.Deliveries[i];
            if (record.Status == DeliveryStatus.Pending)
            {
                i++;
                continue;
            }

            _state.Deliveries.RemoveAt(i);
            _byEventId.Remove(record.EventId);
            finished--;
        }
    }

    /// <summary>Forgets every delivery (the listener was deleted).</summary>
    public void Clear()
    {
        _state.Deliveries.Clear();
        _byEventId.Clear();
    }

    /// <summary>One page of the log, newest first, optionally only one status.</summary>
    public DeliveryPage Page(DeliveryStatus? status, int pageNumber, int pageSize)
    {
        var matching = _state.Deliveries.Where(d => status is null || d.Status == status).ToList();
        var items = Enumerable.Range(0, matching.Count).Reverse()
            .Skip(PageOffset.Of(pageNumber, pageSize)).Take(pageSize)
            .Select(i => View(matching[i]));
        return new DeliveryPage([.. items], matching.Count);
    }

    public static DeliveryView View(DeliveryRecord d) => new(
        d.EventId, d.EventCode, d.Status, d.CreatedAt, d.NextAttemptAt,
        [.. d.Attempts]);

    private static void Restart(DeliveryRecord record, DateTimeOffset now)
    {
        record.Status = DeliveryStatus.Pending;
        record.SeriesFailures = 0;
        record.NextAttemptAt = now;
    }
}
