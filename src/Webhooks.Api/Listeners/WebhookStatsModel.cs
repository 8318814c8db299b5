using Webhooks.Abstractions.Listeners;

namespace Webhooks.Api.Listeners;

/// <summary>
/// How a listener is doing: its attempts over the last hour and the last day (test events not counted), the deliveries
/// pending and parked, its current concurrency limit, and its most recent failed attempt (null when none is known).
/// </summary>
public sealed record WebhookStatsModel(
    AttemptWindowModel LastHour,
    AttemptWindowModel LastDay,
    int Pending,
    int Parked,
    int ConcurrencyLimit,
    AttemptFailureModel? LastError)
{
    public static WebhookStatsModel From(ListenerStats stats) => new(
        AttemptWindowModel.From(stats.LastHour), AttemptWindowModel.From(stats.LastDay), stats.Pending, stats.Parked, stats.ConcurrencyLimit,
        stats.LastError is { } failure ? new AttemptFailureModel(failure.At, failure.EventId, failure.StatusCode, failure.Error) : null);
}
