using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Timeout;

namespace Webhooks.Delivery.Http;

/// <summary>
/// The resilience pipeline of each listener, keyed by listener id: a circuit breaker around a timeout, nothing
/// else. There are no retries and no waits here: the time between attempts is the listener grain's durable
/// schedule, and an open circuit only turns an attempt into an immediate failure that the grain schedules like
/// any other.
/// </summary>
internal sealed class DeliveryPipelines(IOptions<DeliveryOptions> options, TimeProvider time) : IDisposable
{
    // Polly's breaker trips on a failure ratio over a sampling window; a ratio of 1 over at least N attempts is
    // "the last N attempts all failed". The window bounds how far back "in a row" reaches.
    private static readonly TimeSpan SamplingDuration = TimeSpan.FromMinutes(1);

    private readonly ResiliencePipelineRegistry<string> _registry = new();

    /// <summary>The failed attempts in a row that open a circuit (Polly needs at least 2).</summary>
    public int FailuresToOpen { get; } = Math.Max(2, options.Value.CircuitBreakerFailures);

    /// <summary>The pipeline for one listener's attempts; one listener's failures never open another's circuit.</summary>
    public ResiliencePipeline<AttemptOutcome> For(string listenerId) =>
        _registry.GetOrAddPipeline<AttemptOutcome>(listenerId, Configure);

    public void Dispose() => _registry.Dispose();

    private void Configure(ResiliencePipelineBuilder<AttemptOutcome> builder)
    {
        var o = options.Value;
        builder.TimeProvider = time;
        if (o.CircuitBreakerFailures > 0)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<AttemptOutcome>
            {
                FailureRatio = 1.0,
                MinimumThroughput = FailuresToOpen,
                SamplingDuration = SamplingDuration,
                BreakDuration = o.CircuitBreakerDuration,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: OperationCanceledException } => false, // the caller gave up; says nothing about the listener
                    { Exception: HttpRequestException { InnerException: ListenerAddressRefusedException } } => false, // keep saying why
                    { Exception: not null } => true,
                    { Result.Succeeded: false } => true,
                    _ => false,
                }),
            });
        }

        // Inside the breaker, so that a timed-out attempt counts as a failure.
        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = o.Timeout });
    }
}
