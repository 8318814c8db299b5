using Webhooks.Grains.Delivery;

namespace Webhooks.Grains.Tests.Delivery;

/// <summary>The adaptive limit's rules, one outcome at a time.</summary>
public sealed class ConcurrencyLimitTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static AttemptOutcome Answer(int status, double ms = 20) =>
        new(status is >= 200 and < 300, status, TimeSpan.FromMilliseconds(ms), status >= 300 ? $"status {status}" : null, null, null);

    [Fact]
    public void Limit_GrowsByOneAfterAWindowOfSuccesses_OnlyWhileItIsUsedUp()
    {
        var limit = new ConcurrencyLimit(initial: 2, max: 4);

        Assert.False(limit.Record(limit.Epoch, Answer(200), Timeout));
        Assert.False(limit.Record(limit.Epoch, Answer(200), Timeout)); // a window, but the limit was never used up
        limit.NoteInFlight(2);
        Assert.False(limit.Record(limit.Epoch, Answer(200), Timeout));
        Assert.True(limit.Record(limit.Epoch, Answer(200), Timeout));
        Assert.Equal(3, limit.Current);

        for (var i = 0; i < 20; i++)
        {
            limit.NoteInFlight(limit.Current);
            limit.Record(limit.Epoch, Answer(200), Timeout);
        }

        Assert.Equal(4, limit.Current); // never past the maximum
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public void PushBack_HalvesTheLimitOnce_ForAllTheAttemptsThatStartedBeforeIt(int status)
    {
        var limit = new ConcurrencyLimit(initial: 16, max: 32);
        var before = limit.Epoch;

        Assert.True(limit.Record(before, Answer(status), Timeout));
        Assert.False(limit.Record(before, Answer(status), Timeout)); // out at the same time: the same push-back
        Assert.Equal(8, limit.Current);
        Assert.True(limit.Record(limit.Epoch, Answer(status), Timeout));
        Assert.Equal(4, limit.Current);
    }

    [Fact]
    public void Limit_NeverFallsBelowOne()
    {
        var limit = new ConcurrencyLimit(initial: 2, max: 8);

        limit.Record(limit.Epoch, Answer(429), Timeout);
        Assert.False(limit.Record(limit.Epoch, Answer(429), Timeout));
        Assert.Equal(1, limit.Current);
    }

    [Fact]
    public void Timeout_AndALatencyWellAboveTheBaseline_CountAsPushBack_OtherErrorsDoNot()
    {
        var limit = new ConcurrencyLimit(initial: 8, max: 8);
        limit.Record(limit.Epoch, Answer(200, ms: 20), Timeout);

        Assert.False(limit.Record(limit.Epoch, Answer(500), Timeout));
        Assert.False(limit.Record(limit.Epoch, new AttemptOutcome(false, null, TimeSpan.FromMilliseconds(5), "connection refused", null, null), Timeout));
        Assert.False(limit.Record(limit.Epoch, Answer(200, ms: 50), Timeout)); // slower, but within the jitter allowed
        Assert.Equal(8, limit.Current);

        Assert.True(limit.Record(limit.Epoch, new AttemptOutcome(false, null, Timeout, "timed out", null, null), Timeout));
        Assert.Equal(4, limit.Current);
        Assert.True(limit.Record(limit.Epoch, Answer(200, ms: 900), Timeout));
        Assert.Equal(2, limit.Current);
    }
}
