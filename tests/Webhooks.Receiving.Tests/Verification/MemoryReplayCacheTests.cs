using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Receiving.Replay;

namespace Webhooks.Receiving.Tests.Verification;

/// <summary>The default replay cache: a key is refused until its expiry, then accepted again, and expired keys are swept.</summary>
public sealed class MemoryReplayCacheTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Key_IsRefusedUntilItExpires_ThenAcceptedAgain()
    {
        var cache = new MemoryReplayCache(Options.Create(new WebhookReceiverOptions { TimeProvider = _time }));
        var expiry = _time.GetUtcNow().AddMinutes(5);

        Assert.True(await cache.TryRecordAsync("evt_1\n1", expiry, default));
        Assert.False(await cache.TryRecordAsync("evt_1\n1", expiry, default));
        Assert.True(await cache.TryRecordAsync("evt_1\n2", expiry, default));

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(await cache.TryRecordAsync("evt_1\n1", _time.GetUtcNow().AddMinutes(5), default));
    }

    [Fact]
    public async Task ExpiredKeys_AreSwept_SoTheCacheHoldsAboutTheToleranceWorth()
    {
        var cache = new MemoryReplayCache(Options.Create(new WebhookReceiverOptions { TimeProvider = _time }));
        for (var i = 0; i < 5000; i++)
        {
            await cache.TryRecordAsync($"old-{i}", _time.GetUtcNow().AddMinutes(5), default);
        }

        _time.Advance(TimeSpan.FromMinutes(6));
        for (var i = 0; i < 2048; i++)
        {
            await cache.TryRecordAsync($"new-{i}", _time.GetUtcNow().AddMinutes(5), default);
        }

        Assert.True(cache.Count <= 2048, $"{cache.Count} keys held");
    }
}
