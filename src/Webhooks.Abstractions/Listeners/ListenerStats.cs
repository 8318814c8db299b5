namespace Webhooks.Abstractions.Listeners;

/// <summary>
/// How a listener is doing: its attempts over the last hour and the last day, what waits, its current concurrency
/// limit and its last failure. Test events are not counted.
/// </summary>
[GenerateSerializer, Immutable, Alias("webhooks.ListenerStats")]
public sealed record ListenerStats(
    [property: Id(0)] AttemptWindow LastHour,
    [property: Id(1)] AttemptWindow LastDay,
    [property: Id(2)] int Pending,
    [property: Id(3)] int Parked,
    [property: Id(4)] int ConcurrencyLimit,
    [property: Id(5)] AttemptFailure? LastError);

/// <summary>
/// The attempts of one window: how many, how many succeeded, and their latency's median and 95th percentile, read
/// from a histogram (so within its bucket, about a fifth of the value). Rate and latencies are null with no attempt.
/// </summary>
[GenerateSerializer, Immutable, Alias("webhooks.AttemptWindow")]
public sealed record AttemptWindow(
    [property: Id(0)] long Attempts,
    [property: Id(1)] long Succeeded,
    [property: Id(2)] double? SuccessRate,
    [property: Id(3)] double? LatencyP50Ms,
    [property: Id(4)] double? LatencyP95Ms);

/// <summary>The listener's most recent failed attempt: when, for which event, and what it answered or why it did not.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.AttemptFailure")]
public sealed record AttemptFailure(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string EventId,
    [property: Id(2)] int? StatusCode,
    [property: Id(3)] string? Error);
