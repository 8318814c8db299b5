using Webhooks.Abstractions.Listeners;

namespace Webhooks.Grains.Delivery.Stats;

/// <summary>
/// A listener's attempts over the last hour and the last day, kept as counts in time buckets (five minutes for the
/// hour, an hour for the day) rather than attempt by attempt: a few kilobytes at most, however busy the listener, and
/// nothing for an idle one. Persisted with the listener's delivery health (<see cref="DeliveryState"/>).
/// </summary>
/// <remarks>
/// The hour is the twelve five-minute buckets up to now, so it spans 55 to 60 minutes; the day, the 24 hour buckets
/// up to now. Buckets older than that are dropped as new ones start. Pure: time is passed in.
/// </remarks>
[GenerateSerializer, Alias("webhooks.AttemptStats")]
public sealed class AttemptStats
{
    private static readonly TimeSpan Short = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Long = TimeSpan.FromHours(1);
    private const int ShortKept = 12;
    private const int LongKept = 24;

    /// <summary>Five-minute buckets, oldest first.</summary>
    [Id(0)] public List<StatsBucket> Recent { get; set; } = [];

    /// <summary>Hour buckets, oldest first.</summary>
    [Id(1)] public List<StatsBucket> Hourly { get; set; } = [];

    [Id(2)] public AttemptFailure? LastError { get; set; }

    /// <summary>Counts one attempt that ended at <paramref name="at"/>.</summary>
    public void Record(DateTimeOffset at, string eventId, bool succeeded, TimeSpan latency, int? statusCode, string? error)
    {
        var bucket = LatencyHistogram.BucketOf(latency);
        Current(Recent, at, Short, ShortKept).Count(succeeded, bucket);
        Current(Hourly, at, Long, LongKept).Count(succeeded, bucket);

        if (!succeeded)
        {
            LastError = new AttemptFailure(at, eventId, statusCode, error);
        }
    }

    /// <summary>The last hour's attempts, as of <paramref name="now"/>.</summary>
    public AttemptWindow LastHour(DateTimeOffset now) => Window(Recent, now, Short, ShortKept);

    /// <summary>The last day's attempts, as of <paramref name="now"/>.</summary>
    public AttemptWindow LastDay(DateTimeOffset now) => Window(Hourly, now, Long, LongKept);

    private static StatsBucket Current(List<StatsBucket> buckets, DateTimeOffset at, TimeSpan width, int kept)
    {
        // The newest bucket, when it is this one; a clock set back lands in it too, instead of opening one out of order.
        var start = Start(at, width);
        if (buckets.Count > 0 && buckets[^1].Start >= start)
        {
            return buckets[^1];
        }

        buckets.RemoveAll(b => b.Start <= start - (kept * (long)width.TotalSeconds));
        var bucket = new StatsBucket { Start = start, Latency = new long[LatencyHistogram.Length] };
        buckets.Add(bucket);
        return bucket;
    }

    private static AttemptWindow Window(List<StatsBucket> buckets, DateTimeOffset now, TimeSpan width, int kept)
    {
        var oldest = Start(now, width) - ((kept - 1) * (long)width.TotalSeconds);
        long attempts = 0, succeeded = 0;
        var latency = new long[LatencyHistogram.Length];
        foreach (var bucket in buckets.Where(b => b.Start >= oldest))
        {
            attempts += bucket.Attempts;
            succeeded += bucket.Succeeded;
            for (var i = 0; i < latency.Length && i < bucket.Latency.Length; i++)
            {
                latency[i] += bucket.Latency[i];
            }
        }

        return new AttemptWindow(
            attempts, succeeded, attempts == 0 ? null : Math.Round((double)succeeded / attempts, 4),
            LatencyHistogram.Percentile(latency, 0.50), LatencyHistogram.Percentile(latency, 0.95));
    }

    private static long Start(DateTimeOffset at, TimeSpan width)
    {
        var seconds = at.ToUnixTimeSeconds();
        var size = (long)width.TotalSeconds;
        return seconds - (seconds % size);
    }
}

/// <summary>The attempts that ended within one time bucket.</summary>
[GenerateSerializer, Alias("webhooks.StatsBucket")]
public sealed class StatsBucket
{
    /// <summary>The bucket's start, in Unix seconds.</summary>
    [Id(0)] public long Start { get; set; }

    [Id(1)] public long Attempts { get; set; }

    [Id(2)] public long Succeeded { get; set; }

    /// <summary>Counts per <see cref="LatencyHistogram"/> bucket.</summary>
    [Id(3)] public long[] Latency { get; set; } = [];

    internal void Count(bool succeeded, int latencyBucket)
    {
        Attempts++;
        Succeeded += succeeded ? 1 : 0;
        Latency[latencyBucket]++;
    }
}
