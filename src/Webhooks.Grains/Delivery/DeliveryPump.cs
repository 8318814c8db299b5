namespace Webhooks.Grains.Delivery;

/// <summary>
/// Which of a listener's due deliveries go out now: as many as its adaptive limit leaves room for beside the attempts
/// already in flight, one at a time while its open circuit is being probed, and no faster than its own rate.
/// </summary>
/// <remarks>
/// The listener grain owns the queue and runs the attempts; this decides which ones start and keeps the attempts
/// in flight (still pending in the queue, so never started twice) and the state the decision depends on: the
/// <see cref="ConcurrencyLimit"/>, the probing flag and the rate's token bucket. It lives as long as the activation.
/// </remarks>
internal sealed class DeliveryPump(ConcurrencyLimit limit, TimeProvider time)
{
    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal);
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
        if (_inFlight.Count < max && queue.AnyDue(now))
        {
            var rate = RateFor(perSecond);
            // Deliveries in flight are still pending and still due, hence the look past them.
            foreach (var due in queue.Due(now))
            {
                if (_inFlight.Count >= max)
                {
                    break;
                }

                if (_inFlight.Contains(due.EventId))
                {
                    continue;
                }

                if (rate is not null && !rate.TryTake())
                {
                    tokenWait = rate.UntilNext();
                    break;
                }

                _inFlight.Add(due.EventId);
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

    /// <summary>An attempt came back (or was abandoned): its slot is free.</summary>
    public void Finished(string eventId) => _inFlight.Remove(eventId);

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

    /// <summary>The listener's token bucket, made anew when its rate changed; null without a rate of its own.</summary>
    private RateBucket? RateFor(double? perSecond) =>
        perSecond is not { } rate ? _rate = null
        : _rate is { } bucket && bucket.PerSecond == rate ? bucket
        : _rate = new RateBucket(rate, time);
}
