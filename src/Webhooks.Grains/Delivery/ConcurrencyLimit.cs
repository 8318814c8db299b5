namespace Webhooks.Grains.Delivery;

/// <summary>
/// How many attempts one listener may have in flight, adapted to what it can take (additive increase,
/// multiplicative decrease): one more after a full window of successes at the limit, half as many, never below 1,
/// when it pushes back — a 429 or 503, an attempt that timed out, or a success whose latency rose well above its
/// recent baseline.
/// </summary>
/// <remarks>
/// A window is as many successes as the limit allows at once, so the limit grows by about one per round trip, and
/// only while it is used up: a listener that never has that many attempts waiting gives no evidence that it could
/// take more. The attempts out when the listener pushes back all started under the old limit, so their answers
/// count as one push-back: each attempt carries the <see cref="Epoch"/> it started in, and only one from the
/// current epoch halves the limit. The limit is the grain's, in memory: a new activation starts again from the
/// initial limit.
/// </remarks>
internal sealed class ConcurrencyLimit(int initial, int max)
{
    /// <summary>A success this many times slower than the baseline counts as push-back...</summary>
    private const double LatencyFactor = 3;

    /// <summary>...when it is also this much slower: a few milliseconds of jitter on a fast listener are not congestion.</summary>
    private const double MinLatencyRiseMs = 200;

    /// <summary>Weight of each success in the latency baseline (an exponentially weighted mean).</summary>
    private const double BaselineWeight = 0.1;

    private int _successes;
    private bool _saturated;
    private double _baselineMs = double.NaN;

    public int Current { get; private set; } = Math.Clamp(initial, 1, max);

    /// <summary>Changes with each decrease; an attempt takes it when it starts.</summary>
    public int Epoch { get; private set; }

    /// <summary>Notes the attempts in flight once a pump has started what it could: the limit was used up, or not.</summary>
    public void NoteInFlight(int inFlight) => _saturated |= inFlight >= Current;

    /// <summary>Takes an attempt's answer into account; true when the limit changed.</summary>
    /// <param name="startedIn">The <see cref="Epoch"/> when the attempt started.</param>
    /// <param name="outcome">The attempt's outcome.</param>
    /// <param name="timeout">The attempt timeout: an outcome without a status that took this long timed out.</param>
    public bool Record(int startedIn, AttemptOutcome outcome, TimeSpan timeout)
    {
        var latencyMs = outcome.Duration.TotalMilliseconds;
        var timedOut = outcome.StatusCode is null && outcome.Duration >= timeout * 0.95;
        var slow = outcome.Succeeded && !double.IsNaN(_baselineMs)
            && latencyMs > _baselineMs * LatencyFactor && latencyMs - _baselineMs > MinLatencyRiseMs;
        if (outcome.StatusCode is 429 or 503 || timedOut || slow)
        {
            return Decrease(startedIn);
        }

        if (!outcome.Succeeded)
        {
            return false; // an error of the listener's own, not a sign of load
        }

        _baselineMs = double.IsNaN(_baselineMs) ? latencyMs : _baselineMs + (BaselineWeight * (latencyMs - _baselineMs));
        if (++_successes < Current)
        {
            return false;
        }

        // A window is over: grow if the limit was used up during it, and start the next one either way.
        var grow = _saturated && Current < max;
        _successes = 0;
        _saturated = false;
        Current += grow ? 1 : 0;
        return grow;
    }

    private bool Decrease(int startedIn)
    {
        if (startedIn != Epoch)
        {
            return false; // this push-back was answered already, by the decrease that started the current epoch
        }

        Epoch++;
        _successes = 0;
        _saturated = false;
        var halved = Math.Max(1, Current / 2);
        var changed = halved != Current;
        Current = halved;
        return changed;
    }
}
