using Webhooks.Abstractions.Listeners;

namespace Webhooks.Grains.Delivery;

/// <summary>
/// Which of a listener's due deliveries go out now: as many as its adaptive limit leaves room for beside the attempts
/// already in flight, one at a time while its open circuit is being probed, and no faster than its own rate.
/// </summary>
/// <remarks>
/// The listener grain owns the queue and runs the attempts; this decides which ones start and keeps the attempts
/// in flight (still pending in the queue, so never started twice) and the state the decision depends on: the
/// <see cref="ConcurrencyLimit"/>, the probing flag and the rate's token bucket. It lives as long as the activation.
/// For ordered listeners it also holds each started attempt's ordering key until the attempt's outcome is on storage
/// (<see cref="Release"/>), whatever the listener's ordering, so a change of ordering finds every key that is busy.
/// </remarks>
internal sealed class DeliveryPump(ConcurrencyLimit limit, TimeProvider time)
{
    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal);

    // Every started attempt not yet released, by event id (an unordered listener may start a delivery again before its
    // last outcome is stored), with what its key is made of; and the keys they hold under _heldFor, with how many each.
    private readonly Dictionary<string, Hold> _holds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _heldKeys = new(StringComparer.Ordinal);
    private ListenerOrdering _heldFor;
    private bool _probing;
    private RateBucket? _rate;

    /// <summary>The current concurrency limit (without the probe's limit of one).</summary>
    public int Limit => limit.Current;

    /// <summary>The limit's epoch, which an attempt takes when it starts (see <see cref="ConcurrencyLimit.Epoch"/>).</summary>
    public int Epoch => limit.Epoch;

    /// <summary>
    /// Takes the deliveries to attempt now, oldest due first, and counts them in flight. <paramref name="held"/>: the
    /// listener's circuit is open, so nothing starts, and once it closes one attempt goes alone, as its trial, until
    /// one succeeds. When the rate's bucket runs dry, <paramref name="tokenWait"/> says when the next token comes.
    /// </summary>
    /// <param name="queue">The listener's queue.</param>
    /// <param name="held">The listener's circuit is open.</param>
    /// <param name="perSecond">The listener's own rate limit, if it has one.</param>
    /// <param name="tokenWait">Set when a due delivery waits for the rate's next token.</param>
    public List<DeliveryRecord> TakeDue(DeliveryQueue queue, bool held, double? perSecond, out TimeSpan? tokenWait)
    {
        tokenWait = null;
        _probing |= held;
        if (held)
        {
            return [];
        }

        var max = _probing ? 1 : limit.Current;
        var now = time.GetUtcNow();
        var starting = new List<DeliveryRecord>();
        HoldKeysFor(queue.Ordering);
        if (_inFlight.Count < max && queue.AnyDue(now))
        {
            var rate = RateFor(perSecond);
            // Deliveries in flight are still pending and still due, hence the look past them. In an ordered listener
            // the queue offers only the heads, and the heads passed over here are those of busy keys: at most one per
            // attempt held, so a backlog behind them costs nothing.
            foreach (var due in queue.Due(now))
            {
                if (_inFlight.Count >= max)
                {
                    break;
                }

                // The ordering invariant: a delivery of an ordered listener starts only as the head of its key (the
                // queue's Due) while no other attempt of that key is out or has an outcome not yet stored (the held
                // keys). Otherwise a crash after sending the next but before storing the head's outcome would send
                // the head again after its successor.
                var key = DeliveryQueue.OrderKey(_heldFor, due.ResourceId, due.IsTest);
                if (_inFlight.Contains(due.EventId) || (key is not null && _heldKeys.ContainsKey(key)))
                {
                    continue;
                }

                if (rate is not null && !rate.TryTake())
                {
                    tokenWait = rate.UntilNext();
                    break;
                }

                _inFlight.Add(due.EventId);
                HoldFor(due);
                starting.Add(due);
            }
        }

        if (!_probing)
        {
            limit.NoteInFlight(_inFlight.Count);
        }

        return starting;
    }

    /// <summary>
    /// Takes the due test events of a disabled listener and counts them in flight. A test is one attempt a user asked for
    /// and waits on, so it goes whatever the limit and the rate; the rest of the queue stays where it is.
    /// </summary>
    /// <param name="queue">The listener's queue.</param>
    public List<DeliveryRecord> TakeDueTests(DeliveryQueue queue) =>
        [.. queue.DueTests(time.GetUtcNow()).Where(test => _inFlight.Add(test.EventId))];

    /// <summary>An attempt came back (or was abandoned): its slot is free. Its key stays held until <see cref="Release"/>.</summary>
    public void Finished(string eventId) => _inFlight.Remove(eventId);

    /// <summary>
    /// An attempt's outcome is on storage (or it was never recorded, and the delivery is as it was): its ordering key
    /// may start its next delivery. Never called for an outcome whose write failed, whose activation is going away.
    /// </summary>
    public void Release(string eventId)
    {
        if (!_holds.TryGetValue(eventId, out var hold))
        {
            return;
        }

        if (--hold.Count == 0)
        {
            _holds.Remove(eventId);
        }

        if (DeliveryQueue.OrderKey(_heldFor, hold.ResourceId, hold.IsTest) is { } key)
        {
            Unhold(key);
        }
    }

    /// <summary>Takes an attempt's answer into account; true when the concurrency limit changed.</summary>
    /// <param name="epoch">The <see cref="Epoch"/> the attempt started in.</param>
    /// <param name="outcome">What the listener answered.</param>
    /// <param name="timeout">The attempt's timeout, which a slow answer is measured against.</param>
    public bool Record(int epoch, AttemptOutcome outcome, TimeSpan timeout)
    {
        var changed = !_probing && limit.Record(epoch, outcome, timeout);
        _probing &= !outcome.Succeeded;
        return changed;
    }

    private void HoldFor(DeliveryRecord delivery)
    {
        if (_holds.TryGetValue(delivery.EventId, out var hold))
        {
            hold.Count++;
        }
        else
        {
            _holds[delivery.EventId] = hold = new Hold(delivery.ResourceId, delivery.IsTest);
        }

        if (DeliveryQueue.OrderKey(_heldFor, hold.ResourceId, hold.IsTest) is { } key)
        {
            _heldKeys[key] = _heldKeys.GetValueOrDefault(key) + 1;
        }
    }

    private void Unhold(string key)
    {
        if (_heldKeys.TryGetValue(key, out var count) && count > 1)
        {
            _heldKeys[key] = count - 1;
        }
        else
        {
            _heldKeys.Remove(key);
        }
    }

    // The held keys are counted under one ordering; when the listener's changes, they are counted again from the holds.
    private void HoldKeysFor(ListenerOrdering ordering)
    {
        if (ordering == _heldFor)
        {
            return;
        }

        _heldFor = ordering;
        _heldKeys.Clear();
        foreach (var hold in _holds.Values)
        {
            if (DeliveryQueue.OrderKey(ordering, hold.ResourceId, hold.IsTest) is { } key)
            {
                _heldKeys[key] = _heldKeys.GetValueOrDefault(key) + hold.Count;
            }
        }
    }

    /// <summary>What a started attempt's ordering key is made of, taken when it starts: a finished delivery drops its resource id.</summary>
    private sealed class Hold(string? resourceId, bool isTest)
    {
        public string? ResourceId { get; } = resourceId;

        public bool IsTest { get; } = isTest;

        public int Count { get; set; } = 1;
    }

    /// <summary>The listener's token bucket, made anew when its rate changed; null without a rate of its own.</summary>
    private RateBucket? RateFor(double? perSecond) =>
        perSecond is not { } rate ? _rate = null
        : _rate is { } bucket && bucket.PerSecond == rate ? bucket
        : _rate = new RateBucket(rate, time);
}
