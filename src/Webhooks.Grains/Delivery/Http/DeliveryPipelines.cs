using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Webhooks.Grains.Delivery.Http;

/// <summary>
/// The resilience pipeline of each listener, keyed by listener id: a circuit breaker around a timeout, nothing
/// else. There are no retries and no waits here: the time between attempts is the listener grain's durable
/// schedule. While a circuit is open (<see cref="IsOpen"/>) the grain starts no attempts at all; one that
/// races the opening fails at once and is scheduled like any other failure.
/// </summary>
internal sealed class DeliveryPipelines(IOptions<DeliveryOptions> options, TimeProvider time)
{
    // Polly's breaker trips on a failure ratio over a sampling window; a ratio of 1 over at least N attempts is
    // "the last N attempts all failed". The window bounds how far back "in a row" reaches.
    private static readonly TimeSpan SamplingDuration = TimeSpan.FromMinutes(1);

    // Looked for idle pipelines once every this many attempts.
    private const int SweepEvery = 1024;

    // One pipeline per listener that attempted recently. A pipeline idle for longer than the breaker can
    // remember anything (the sampling window plus a break) holds no state worth keeping, so it is dropped:
    // memory follows the listeners that are delivering, not every listener the silo ever served.
    private readonly ConcurrentDictionary<string, Entry> _pipelines = new(StringComparer.Ordinal);
    private readonly TimeSpan _idleAfter = SamplingDuration + options.Value.CircuitBreakerDuration;
    private long _attempts;

    /// <summary>The failed attempts in a row that open a circuit (Polly needs at least 2).</summary>
    public int FailuresToOpen { get; } = Math.Max(2, options.Value.CircuitBreakerFailures);

    /// <summary>The pipeline for one listener's attempts; one listener's failures never open another's circuit.</summary>
    public ResiliencePipeline<AttemptOutcome> For(string listenerId)
    {
        var now = time.GetTimestamp();
        var entry = _pipelines.GetOrAdd(listenerId, static (_, self) => self.Create(), this);
        Interlocked.Exchange(ref entry.LastUsed, now);
        if (Interlocked.Increment(ref _attempts) % SweepEvery == 0)
        {
            Sweep(now);
        }

        return entry.Pipeline;
    }

    /// <summary>True from the moment the listener's circuit opens until its break is over.</summary>
    public bool IsOpen(string listenerId) =>
        _pipelines.TryGetValue(listenerId, out var entry) && Interlocked.Read(ref entry.OpenUntil) > time.GetTimestamp();

    /// <summary>How many listeners have a pipeline now.</summary>
    public int Count => _pipelines.Count;

    /// <summary>Drops the pipelines of listeners idle for longer than their breaker remembers.</summary>
    public void Sweep(long now)
    {
        foreach (var (listenerId, entry) in _pipelines)
        {
            if (time.GetElapsedTime(Interlocked.Read(ref entry.LastUsed), now) > _idleAfter)
            {
                _pipelines.TryRemove(new KeyValuePair<string, Entry>(listenerId, entry));
            }
        }
    }

    private Entry Create()
    {
        var entry = new Entry();
        entry.Pipeline = Build(entry);
        return entry;
    }

    private ResiliencePipeline<AttemptOutcome> Build(Entry entry)
    {
        var builder = new ResiliencePipelineBuilder<AttemptOutcome>();
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
                OnOpened = args =>
                {
                    Interlocked.Exchange(ref entry.OpenUntil, time.GetTimestamp() + (long)(args.BreakDuration.TotalSeconds * time.TimestampFrequency));
                    return ValueTask.CompletedTask;
                },
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: OperationCanceledException } => false, // the caller gave up; says nothing about the listener
                    { Exception: HttpRequestException { InnerException: ListenerAddressRefusedException } } => false, // keep saying why
                    { Exception: not null } => true,
                    { Result.StatusCode: 429 } => false, // alive and pushing back: the adaptive limit's business (ConcurrencyLimit)
                    { Result.Succeeded: false } => true,
                    _ => false,
                }),
            });
        }

        // Inside the breaker, so that a timed-out attempt counts as a failure.
        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = o.Timeout });
        return builder.Build();
    }

    private sealed class Entry
    {
        public ResiliencePipeline<AttemptOutcome> Pipeline = null!;
        public long LastUsed;

        /// <summary>The timestamp at which the open circuit lets a trial attempt through.</summary>
        public long OpenUntil;
    }
}
