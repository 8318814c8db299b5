using System.Diagnostics.Metrics;
using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Delivery;

namespace Webhooks.Grains.Telemetry;

/// <summary>
/// The dispatcher's own instruments, on the meter <c>Webhooks.Orleans</c>: events published, deliveries by
/// outcome, attempt latency, queue depth (pending deliveries of the listeners active in this silo) and
/// listeners disabled by the health rule.
/// </summary>
public sealed class WebhooksMetrics : IDisposable
{
    public const string MeterName = "Webhooks.Orleans";

    private readonly Meter _meter;
    private readonly Counter<long> _published;
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _attemptDuration;
    private readonly Histogram<int> _concurrencyLimit;
    private readonly UpDownCounter<long> _queueDepth;
    private readonly Counter<long> _disabled;

    public WebhooksMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _published = _meter.CreateCounter<long>("webhooks.events.published", "{event}", "Events accepted for delivery (first publish of an event id).");
        _attempts = _meter.CreateCounter<long>("webhooks.delivery.attempts", "{attempt}", "Delivery attempts, by outcome: succeeded, retrying, failed.");
        _attemptDuration = _meter.CreateHistogram<double>("webhooks.delivery.attempt.duration", "ms", "Time from sending an attempt to the end of reading its response.");
        _queueDepth = _meter.CreateUpDownCounter<long>("webhooks.delivery.pending", "{delivery}", "Pending deliveries of the listeners active in this silo.");
        _concurrencyLimit = _meter.CreateHistogram<int>("webhooks.delivery.concurrency_limit", "{attempt}", "A listener's adaptive limit of attempts in flight, recorded at each change.");
        _disabled = _meter.CreateCounter<long>("webhooks.listeners.disabled", "{listener}", "Listeners disabled after failing continuously.");
    }

    public void EventPublished(int matchedWebhooks) =>
        _published.Add(1, new KeyValuePair<string, object?>("matched", matchedWebhooks > 0));

    public void AttemptRecorded(DeliveryStatus after, AttemptOutcome outcome)
    {
        var result = outcome.Succeeded ? "succeeded" : after == DeliveryStatus.Failed ? "failed" : "retrying";
        _attempts.Add(1, new KeyValuePair<string, object?>("outcome", result));
        _attemptDuration.Record(outcome.Duration.TotalMilliseconds, new KeyValuePair<string, object?>("outcome", result));
    }

    public void PendingChanged(long delta)
    {
        if (delta != 0)
        {
            _queueDepth.Add(delta);
        }
    }

    public void ListenerDisabled() => _disabled.Add(1);

    public void ConcurrencyLimitChanged(int limit) => _concurrencyLimit.Record(limit);

    public void Dispose() => _meter.Dispose();
}
