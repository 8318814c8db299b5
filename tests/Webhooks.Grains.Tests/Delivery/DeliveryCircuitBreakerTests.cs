using Microsoft.Extensions.Time.Testing;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.Delivery.Http;

public sealed class DeliveryCircuitBreakerTests
{
    private static readonly Dictionary<string, string?> ThreeFailuresOpen = new()
    {
        ["Webhooks:Delivery:CircuitBreakerFailures"] = "3",
        ["Webhooks:Delivery:CircuitBreakerDuration"] = "00:00:30",
    };

    [Fact]
    public async Task Send_AfterNFailuresInARow_FailsAtOnceWithoutARequest()
    {
        await using var listener = await TestReceiver.StartAsync();
        using var host = new SenderHost(ThreeFailuresOpen);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(500, (await host.SendAsync(listener.Status(500), "wh_a")).StatusCode);
        }

        var outcome = await host.SendAsync(listener.Status(500), "wh_a");

        Assert.False(outcome.Succeeded);
        Assert.Null(outcome.StatusCode);
        Assert.Equal("circuit open: the last 3 attempts to this listener failed", outcome.Error);
        Assert.Equal(3, listener.Requests.Count);
    }

    [Fact]
    public async Task Send_WhenOneListenersCircuitIsOpen_OtherListenersOnTheSameHostStillGetThrough()
    {
        await using var listener = await TestReceiver.StartAsync();
        using var host = new SenderHost(ThreeFailuresOpen);
        for (var i = 0; i < 4; i++)
        {
            await host.SendAsync(listener.Status(500), "wh_a");
        }

        var other = await host.SendAsync(listener.Status(200), "wh_b");
        var otherFailing = await host.SendAsync(listener.Status(500), "wh_c");

        Assert.True(other.Succeeded);
        Assert.Equal(500, otherFailing.StatusCode);
        Assert.StartsWith("circuit open", (await host.SendAsync(listener.Status(200), "wh_a")).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_WhenFailuresAreNotInARow_KeepsTheCircuitClosed()
    {
        await using var listener = await TestReceiver.StartAsync();
        using var host = new SenderHost(ThreeFailuresOpen);
        int[] statuses = [500, 500, 200, 500, 500, 200, 500, 500];

        foreach (var status in statuses)
        {
            Assert.Equal(status, (await host.SendAsync(listener.Status(status), "wh_a")).StatusCode);
        }

        Assert.Equal(statuses.Length, listener.Requests.Count);
    }

    [Fact]
    public async Task Send_WhenTimeoutsAndConnectionErrorsRepeat_OpensTheCircuitToo()
    {
        await using var listener = await TestReceiver.StartAsync();
        using var host = new SenderHost(ThreeFailuresOpen);

        for (var i = 0; i < 3; i++)
        {
            Assert.Null((await host.SendAsync(listener.ResetBeforeResponse, "wh_a")).StatusCode);
        }

        Assert.StartsWith("circuit open", (await host.SendAsync(listener.Status(200), "wh_a")).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_AfterTheBreakDuration_LetsATrialAttemptThroughAndClosesOnSuccess()
    {
        await using var listener = await TestReceiver.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero));
        using var host = new SenderHost(ThreeFailuresOpen, time);
        for (var i = 0; i < 3; i++)
        {
            await host.SendAsync(listener.Status(500), "wh_a");
        }

        time.Advance(TimeSpan.FromSeconds(29));
        Assert.StartsWith("circuit open", (await host.SendAsync(listener.Status(200), "wh_a")).Error, StringComparison.Ordinal);
        time.Advance(TimeSpan.FromSeconds(2));
        var trial = await host.SendAsync(listener.Status(200), "wh_a");
        var next = await host.SendAsync(listener.Status(200), "wh_a");

        Assert.True(trial.Succeeded);
        Assert.True(next.Succeeded);
        Assert.Equal(5, listener.Requests.Count);
    }

    [Fact]
    public async Task IsHeld_FromTheOpeningUntilTheBreakIsOver_ForThatListenerOnly()
    {
        await using var listener = await TestReceiver.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero));
        using var host = new SenderHost(ThreeFailuresOpen, time);
        for (var i = 0; i < 2; i++)
        {
            await host.SendAsync(listener.Status(500), "wh_a");
        }

        Assert.False(host.Sender.IsHeld("wh_a"));
        await host.SendAsync(listener.Status(500), "wh_a");
        Assert.True(host.Sender.IsHeld("wh_a"));
        Assert.False(host.Sender.IsHeld("wh_b"));

        time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(host.Sender.IsHeld("wh_a"));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(host.Sender.IsHeld("wh_a"));
    }
}
