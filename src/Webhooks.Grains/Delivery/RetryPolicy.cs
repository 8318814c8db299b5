namespace Webhooks.Grains.Delivery;

/// <summary>
/// When the next attempt of a failed delivery is due: the configured schedule with jitter, never before a
/// listener's <c>Retry-After</c>, which in turn may not push the wait past the schedule's longest step.
/// </summary>
public sealed class RetryPolicy(IReadOnlyList<TimeSpan> schedule, double jitterRatio, Func<double> random)
{
    /// <summary>The wait before the next attempt after the <paramref name="failures"/>-th failure of a series; null when the schedule is spent.</summary>
    public TimeSpan? NextDelay(int failures, TimeSpan? retryAfter)
    {
        if (failures < 1 || failures > schedule.Count)
        {
            return null;
        }

        var scheduled = schedule[failures - 1] * (1 + (jitterRatio * ((2 * random()) - 1)));
        if (retryAfter is not { } asked)
        {
            return scheduled;
        }

        var longest = schedule.Max();
        var honoured = asked < longest ? asked : longest;
        return honoured > scheduled ? honoured : scheduled;
    }
}
