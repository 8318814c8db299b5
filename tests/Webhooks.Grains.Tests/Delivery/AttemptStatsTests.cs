using Webhooks.Grains.Delivery.Stats;

namespace Webhooks.Grains.Tests.Delivery;

/// <summary>The stats' time buckets and latency histogram: what falls in the hour and the day, and percentiles within a bucket.</summary>
public sealed class AttemptStatsTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Hour_HoldsTheLastHour_Day_TheLastDay_AndOlderAttemptsAreDropped()
    {
        var stats = new AttemptStats();
        stats.Record(Noon.AddHours(-30), "old", succeeded: true, TimeSpan.FromMilliseconds(10), 200, null);
        stats.Record(Noon.AddHours(-5), "earlier", succeeded: false, TimeSpan.FromMilliseconds(10), 500, "HTTP 500");
        stats.Record(Noon.AddMinutes(-90), "before", succeeded: true, TimeSpan.FromMilliseconds(10), 200, null);
        stats.Record(Noon.AddMinutes(-20), "recent", succeeded: true, TimeSpan.FromMilliseconds(10), 200, null);
        stats.Record(Noon, "now", succeeded: true, TimeSpan.FromMilliseconds(10), 200, null);

        var hour = stats.LastHour(Noon);
        Assert.Equal((2, 2, 1.0), (hour.Attempts, hour.Succeeded, hour.SuccessRate));
        var day = stats.LastDay(Noon);
        Assert.Equal((4, 3, 0.75), (day.Attempts, day.Succeeded, day.SuccessRate));
        Assert.Equal(("earlier", 500), (stats.LastError!.EventId, stats.LastError.StatusCode));

        // A day later nothing is left in either window, and nothing is kept for it.
        Assert.Equal(0, stats.LastDay(Noon.AddDays(1).AddHours(1)).Attempts);
        Assert.Null(stats.LastHour(Noon.AddHours(2)).SuccessRate);
        stats.Record(Noon.AddDays(2), "later", succeeded: true, TimeSpan.FromMilliseconds(10), 200, null);
        Assert.Single(stats.Recent);
        Assert.Single(stats.Hourly);
    }

    [Fact]
    public void AClockSetBack_CountsInTheNewestBucket_InsteadOfOpeningOneOutOfOrder()
    {
        var stats = new AttemptStats();
        stats.Record(Noon, "first", succeeded: true, TimeSpan.FromMilliseconds(10), 200, null);
        stats.Record(Noon.AddMinutes(-12), "earlier", succeeded: true, TimeSpan.FromMilliseconds(10), 200, null);

        Assert.Equal(2, Assert.Single(stats.Recent).Attempts);
        Assert.Equal(2, stats.LastHour(Noon).Attempts);
    }

    [Fact]
    public void Percentiles_FallWithinTheBucketOfTheTrueValue()
    {
        var stats = new AttemptStats();
        for (var ms = 1; ms <= 100; ms++)
        {
            stats.Record(Noon, $"e{ms}", succeeded: true, TimeSpan.FromMilliseconds(ms * 10), 200, null);
        }

        var hour = stats.LastHour(Noon);
        Assert.InRange(hour.LatencyP50Ms!.Value, 400, 650); // the true median is 500-510 ms; its bucket is 400-650
        Assert.InRange(hour.LatencyP95Ms!.Value, 800, 1_000); // the true p95 is 950 ms
        Assert.Null(new AttemptStats().LastHour(Noon).LatencyP50Ms);
    }

    [Fact]
    public void Histogram_PutsEachLatencyInTheBucketWhoseBoundsHoldIt()
    {
        Assert.Equal(0, LatencyHistogram.BucketOf(TimeSpan.Zero));
        Assert.Equal(0, LatencyHistogram.BucketOf(TimeSpan.FromMilliseconds(0.4)));
        Assert.Equal(1, LatencyHistogram.BucketOf(TimeSpan.FromMilliseconds(1.5)));
        Assert.Equal(LatencyHistogram.Length - 1, LatencyHistogram.BucketOf(TimeSpan.FromMinutes(5)));
    }
}
