using Webhooks.Abstractions.Listeners;

namespace Webhooks.Api.Listeners;

/// <summary>
/// The attempts of one window: how many, how many succeeded, the success rate (0 to 1) and the latency's median and
/// 95th percentile in milliseconds, read from a histogram; rate and latencies are null when there was no attempt.
/// </summary>
public sealed record AttemptWindowModel(long Attempts, long Succeeded, double? SuccessRate, double? LatencyP50Ms, double? LatencyP95Ms)
{
    public static AttemptWindowModel From(AttemptWindow window) =>
        new(window.Attempts, window.Succeeded, window.SuccessRate, window.LatencyP50Ms, window.LatencyP95Ms);
}
