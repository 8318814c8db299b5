namespace Webhooks.Api.Listeners;

/// <summary>A listener's most recent failed attempt: when it ended, for which event, its status code (if it answered) and why it failed.</summary>
public sealed record AttemptFailureModel(DateTimeOffset At, string EventId, int? StatusCode, string? Error);
