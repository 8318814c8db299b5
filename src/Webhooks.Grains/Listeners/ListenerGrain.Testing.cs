using Microsoft.Extensions.Logging;
using Webhooks.Abstractions;
using Webhooks.Abstractions.Catalog;
using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Listeners;
using Webhooks.Abstractions.Publishing;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Signing;

namespace Webhooks.Grains.Listeners;

/// <summary>
/// The test that reports: the test event is queued and attempted like any other (its delivery log is the same), and a
/// caller waiting for it is handed the attempt's outcome when it is recorded; then, if asked, the signature probe
/// (<see cref="SignatureProbe"/>) goes out from the waiting call, once, never retried and never recorded as a delivery.
/// </summary>
public sealed partial class ListenerGrain
{
    /// <summary>
    /// The longest a test waits in all, whatever the caller and the delivery timeout allow: below the 30 s an Orleans
    /// grain call waits by default for its answer, so the caller always hears what is known instead of a call timeout.
    /// </summary>
    internal static readonly TimeSpan MaxTestWait = TimeSpan.FromSeconds(25);

    // Past the delivery timeout, so an attempt that times out is still reported as one rather than as no answer yet.
    private static readonly TimeSpan TestWaitSlack = TimeSpan.FromSeconds(1);

    private Dictionary<string, TaskCompletionSource<TestAttempt>>? _testWaiters;

    public async Task<TestReport?> TestAndReportAsync(string tenantId, TestRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsOwnedBy(tenantId))
        {
            return null;
        }

        var bound = TimeSpan.FromTicks(Math.Clamp(request.Wait.Ticks, 0, Math.Min((options.Value.Timeout + TestWaitSlack).Ticks, MaxTestWait.Ticks)));
        using var bounded = new CancellationTokenSource(bound, time);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(bounded.Token, _stopping.Token);
        var eventId = EnqueueTest(tenantId);
        var ended = new TaskCompletionSource<TestAttempt>(TaskCreationOptions.RunContinuationsAsynchronously);
        (_testWaiters ??= new(StringComparer.Ordinal))[eventId] = ended; // before the pump can start the attempt
        var unknown = request.Probe ? SignatureCheck.Unknown : (SignatureCheck?)null;
        try
        {
            await WriteDeliveriesAsync();
            Pump();
            TestAttempt attempt;
            try
            {
                attempt = await ended.Task.WaitAsync(waiting.Token);
            }
            catch (OperationCanceledException)
            {
                return new TestReport(eventId, false, null, null, null, null, unknown);
            }

            var outcome = attempt.Outcome;
            var check = request.Probe ? SignatureProbe.Judge(outcome, await ProbeAsync(attempt, waiting.Token)) : unknown;
            return new TestReport(eventId, true, outcome.StatusCode, (long)outcome.Duration.TotalMilliseconds, outcome.Error, outcome.ResponseBody, check);
        }
        finally
        {
            _testWaiters.Remove(eventId);
        }
    }

    /// <summary>Queues the test event (sent even while the listener is disabled) and returns its id; the caller writes it.</summary>
    private string EnqueueTest(string tenantId)
    {
        var now = time.GetUtcNow();
        var eventId = WebhookPublisher.EventIdPrefix + ResourceIds.NewRandomToken(16);
        Queue.Enqueue(new EventEnvelope(tenantId, eventId, EventCatalog.TestEventCode, this.GetPrimaryKeyString(), now, null), isTest: true, now);
        return eventId;
    }

    /// <summary>The test event's attempt was recorded: a caller waiting for it hears how it went, and what was sent.</summary>
    private void TestEnded(string eventId, AttemptOutcome outcome, DeliveryRequest? request)
    {
        if (_testWaiters?.GetValueOrDefault(eventId) is { } waiter)
        {
            waiter.TrySetResult(new TestAttempt(outcome, request));
        }
    }

    /// <summary>
    /// Sends the forged copy of the test event's request, once; null when there is nothing to learn from it (the real
    /// request failed, or was never made) or no answer came within the wait. Runs off the grain's turn like an attempt.
    /// </summary>
    private async Task<AttemptOutcome?> ProbeAsync(TestAttempt attempt, CancellationToken cancellationToken)
    {
        if (!attempt.Outcome.Succeeded || attempt.Request is not { } real)
        {
            return null;
        }

        var probe = SignatureProbe.Forge(real, SignatureProbe.IdPrefix + ResourceIds.NewRandomToken(16), time.GetUtcNow().ToUnixTimeSeconds());
        try
        {
            var outcome = await sender.SendAsync(probe, cancellationToken);
            LogProbeAnswered(logger, this.GetPrimaryKeyString(), outcome.StatusCode);
            return outcome;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listener {ListenerId}: the signature probe was answered with {StatusCode}")]
    private static partial void LogProbeAnswered(ILogger logger, string listenerId, int? statusCode);

    /// <summary>A test event's attempt as its waiting caller needs it: the outcome, and the request (null when it could not be prepared).</summary>
    private sealed record TestAttempt(AttemptOutcome Outcome, DeliveryRequest? Request);
}
