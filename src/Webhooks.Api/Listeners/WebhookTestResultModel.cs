using Webhooks.Abstractions.Listeners;

namespace Webhooks.Api.Listeners;

/// <summary>
/// What a test asked to wait for came to: the test event's id, its attempt (status code, duration, error, the first
/// 2 KiB of the response) and, unless the probe was turned off, <c>signatureCheck</c>: <c>verified</c> (the listener
/// refused the forged request with a 4xx and took the real one), <c>notVerified</c> (it took the forged one) or
/// <c>unknown</c>. With 202 the wait ran out first: only the event id is known, and the delivery log tells the rest.
/// </summary>
public sealed record WebhookTestResultModel(string EventId, int? StatusCode, long? DurationMs, string? Error, string? ResponseExcerpt, string? SignatureCheck)
{
    public static WebhookTestResultModel From(TestReport report) => new(
        report.EventId, report.StatusCode, report.DurationMs, report.Error, report.ResponseExcerpt,
        report.SignatureCheck switch
        {
            Abstractions.Listeners.SignatureCheck.Verified => "verified",
            Abstractions.Listeners.SignatureCheck.NotVerified => "notVerified",
            Abstractions.Listeners.SignatureCheck.Unknown => "unknown",
            _ => null,
        });
}
