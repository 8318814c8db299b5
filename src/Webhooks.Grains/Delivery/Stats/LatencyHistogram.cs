namespace Webhooks.Grains.Delivery.Stats;

/// <summary>
/// Attempt latencies as counts per bucket, the buckets about 1.25 to 1.5 times apart from 1 ms to a minute: a percentile
/// read back is within its bucket, which is what a dashboard needs, at a fixed size whatever the traffic.
/// </summary>
internal static class LatencyHistogram
{
    /// <summary>The buckets' upper bounds in milliseconds; one more bucket holds everything above the last.</summary>
    public static readonly int[] UpperBoundsMs =
    [
        1, 2, 3, 4, 5, 7, 10, 13, 16, 20, 25, 32, 40, 50, 65, 80, 100, 130, 160, 200, 250, 320, 400, 500, 650, 800,
        1_000, 1_300, 1_600, 2_000, 2_500, 3_200, 4_000, 5_000, 6_500, 8_000, 10_000, 15_000, 20_000, 30_000, 60_000,
    ];

    /// <summary>How many buckets a histogram has.</summary>
    public static int Length => UpperBoundsMs.Length + 1;

    /// <summary>The bucket a latency falls in.</summary>
    public static int BucketOf(TimeSpan latency)
    {
        var ms = latency.TotalMilliseconds;
        var index = Array.BinarySearch(UpperBoundsMs, (int)Math.Min(Math.Ceiling(ms), int.MaxValue));
        return index >= 0 ? index : ~index;
    }

    /// <summary>
    /// The latency below which <paramref name="quantile"/> of the counted attempts fall, interpolated within its bucket;
    /// null when nothing was counted.
    /// </summary>
    public static double? Percentile(long[] counts, double quantile)
    {
        var total = counts.Sum();
        if (total == 0)
        {
            return null;
        }

        var rank = quantile * total;
        long below = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] > 0 && below + counts[i] >= rank)
            {
                double lower = i == 0 ? 0 : UpperBoundsMs[i - 1];
                double upper = i < UpperBoundsMs.Length ? UpperBoundsMs[i] : UpperBoundsMs[^1];
                return Math.Round(lower + ((upper - lower) * Math.Clamp((rank - below) / counts[i], 0, 1)), 1);
            }

            below += counts[i];
        }

        return UpperBoundsMs[^1];
    }
}
