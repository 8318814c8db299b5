using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Webhooks.Receiving.Replay;

/// <summary>
/// The default <see cref="IReplayCache"/>: this process's memory. Expired keys are swept now and then, so it holds about
/// the deliveries of twice the tolerance.
/// </summary>
public sealed class MemoryReplayCache(IOptions<WebhookReceiverOptions> options) : IReplayCache
{
    private const int SweepEvery = 1024;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private int _additions;

    /// <summary>How many keys are held, expired ones not yet swept included.</summary>
    public int Count => _seen.Count;

    /// <inheritdoc />
    public ValueTask<bool> TryRecordAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var now = options.Value.TimeProvider.GetUtcNow();
        if (Interlocked.Increment(ref _additions) % SweepEvery == 0)
        {
            Sweep(now);
        }

        while (true)
        {
            if (_seen.TryAdd(key, expiresAt))
            {
                return ValueTask.FromResult(true);
            }

            if (_seen.TryGetValue(key, out var until))
            {
                if (until > now)
                {
                    return ValueTask.FromResult(false);
                }

                if (_seen.TryUpdate(key, expiresAt, until))
                {
                    return ValueTask.FromResult(true);
                }
            }
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, until) in _seen)
        {
            if (until <= now)
            {
                _seen.TryRemove(new KeyValuePair<string, DateTimeOffset>(key, until));
            }
        }
    }
}
