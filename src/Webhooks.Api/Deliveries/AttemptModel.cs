namespace Webhooks.Api.Deliveries;

/// <summary>One HTTP attempt: when, the listener's status code (if it answered), how long, why it failed, and the first 2 KiB of the response.</summary>
public sealed record AttemptModel(int Attempt, DateTimeOffset At, int? StatusCode, long DurationMs, string? Error, string? ResponseBody);
