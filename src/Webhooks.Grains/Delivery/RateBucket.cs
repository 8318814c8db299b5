namespace Webhooks.Grains.Delivery;

/// <summary>
/// A listener's own rate limit (<c>maxDeliveriesPerSecond</c>): a token bucket that holds one second's worth of
/// attempts (at least one) and refills continuously. An attempt starts only with a token; the ones beyond wait, they
/// never fail for it. The bucket is the listener grain's, and the grain is the only sender to its listener, so the
/// limit holds across the cluster by construction.
/// </summary>
internal sealed class RateBucket
{
    private readonly TimeProvider _time;
    private readonly double _perSecond;
    private readonly double _capacity;
    private double _tokens;
    private long _refilledAt;

    public RateBucket(double perSecond, TimeProvider time)
    {
        _time = time;
        _perSecond = perSecond;
        _capacity = Math.Max(1, perSecond);
        _tokens = _capacity;
        _refilledAt = time.GetTimestamp();
    }

    /// <summary>The rate it was made for, so the grain can tell when the listener's setting changed.</summary>
    public double PerSecond => _perSecond;

    /// <summary>Takes a token for one attempt; false when none is left yet.</summary>
    public bool TryTake()
    {
        Refill();
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }

    /// <summary>How long until the next token.</summary>
    public TimeSpan UntilNext()
    {
        Refill();
        return _tokens >= 1 ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - _tokens) / _perSecond);
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_capacity, _tokens + (_time.GetElapsedTime(_refilledAt, now).TotalSeconds * _perSecond));
        _refilledAt = now;
    }
}
