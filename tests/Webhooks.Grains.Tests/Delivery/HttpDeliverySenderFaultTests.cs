using Webhooks.Testing;

namespace Webhooks.Grains.Tests.Delivery.Http;

/// <summary>Listeners that hang, hang up, or never stop talking: every one ends in an outcome, bounded in time and memory.</summary>
public sealed class HttpDeliverySenderFaultTests
{
    [Fact]
    public async Task Send_WhenListenerHangs_TimesOut()
    {
        await using var listener = await TestReceiver.StartAsync();
        using var host = new SenderHost(new Dictionary<string, string?> { ["Webhooks:Delivery:Timeout"] = "00:00:01" });

        var outcome = await host.SendAsync(listener.Hang);

        Assert.False(outcome.Succeeded);
        Assert.Null(outcome.StatusCode);
        Assert.Equal("timed out after 1 s", outcome.Error);
        Assert.Single(listener.Requests);
    }

    [Fact]
    public async Task Send_WhenConnectionIsResetBeforeAResponse_FailsWithAConnectionError()
    {
        await using var listener = await TestReceiver.StartAsync();
        using var host = new SenderHost();

        var outcome = await host.SendAsync(listener.ResetBeforeResponse);

        Assert.False(outcome.Succeeded);
        Assert.Null(outcome.StatusCode);
        Assert.Equal("the connection was reset or closed before a complete response", outcome.Error);
    }

    [Fact]
    public async Task Send_WhenConnectionIsResetMidBody_KeepsTheStatusAndWhatArrived()
    {
        await using var listener = await TestReceiver.StartAsync();
        using var host = new SenderHost();

        var outcome = await host.SendAsync(listener.ResetMidBody);

        // The listener said 200 before it hung up: it took the event, so the attempt counts as delivered.
        Assert.True(outcome.Succeeded);
        Assert.Equal(200, outcome.StatusCode);
        Assert.Equal("the connection failed while reading the response body", outcome.Error);
        Assert.Equal(new string('r', 100), outcome.ResponseBody);
    }

    [Fact]
    public async Task Send_WhenConnectionIsRefused_FailsWithConnectionRefused()
    {
        using var host = new SenderHost();
        var port = await FreeButClosedPortAsync();

        var outcome = await host.SendAsync(new Uri($"http://127.0.0.1:{port}/"));

        Assert.False(outcome.Succeeded);
        Assert.Null(outcome.StatusCode);
        Assert.Equal("connection refused", outcome.Error);
    }

    [Fact]
    public async Task Send_WhenBodyIsEndless_ReadsOnlyTheExcerptAndReturns()
    {
        await using var listener = await TestReceiver.StartAsync();
        using var host = new SenderHost();

        var outcome = await host.SendAsync(listener.EndlessBody);

        // Reading on would never finish: the attempt would end in the timeout, with an error.
        Assert.True(outcome.Succeeded);
        Assert.Null(outcome.Error);
        Assert.Equal(new string('e', 2048), outcome.ResponseBody);
    }

    [Fact]
    public async Task Send_WhenBodyIsLarge_KeepsOnlyTheConfiguredExcerpt()
    {
        await using var listener = await TestReceiver.StartAsync();
        using var host = new SenderHost(new Dictionary<string, string?> { ["Webhooks:Delivery:MaxResponseBodyBytes"] = "100" });

        var outcome = await host.SendAsync(listener.LargeBody);

        Assert.True(outcome.Succeeded);
        Assert.Null(outcome.Error);
        Assert.Equal(new string('l', 100), outcome.ResponseBody);
    }

    [Fact]
    public async Task Send_WhenBodyTricklesPastTheTimeout_KeepsTheStatusAndWhatArrived()
    {
        await using var listener = await TestReceiver.StartAsync();
        using var host = new SenderHost(new Dictionary<string, string?> { ["Webhooks:Delivery:Timeout"] = "00:00:01" });

        var outcome = await host.SendAsync(listener.SlowBody);

        Assert.True(outcome.Succeeded);
        Assert.Equal(200, outcome.StatusCode);
        Assert.Equal("timed out after 1 s reading the response body", outcome.Error);
        Assert.NotNull(outcome.ResponseBody);
        Assert.InRange(outcome.ResponseBody.Length, 1, TestReceiver.SlowBodyBytes - 1);
        Assert.All(outcome.ResponseBody, c => Assert.Equal('s', c));
    }

    [Fact]
    public async Task Send_WhenTheExcerptEndsInsideACharacter_DropsThePartialCharacter()
    {
        await using var listener = await TestReceiver.StartAsync();
        using var host = new SenderHost(new Dictionary<string, string?> { ["Webhooks:Delivery:MaxResponseBodyBytes"] = "4" });

        var outcome = await host.SendAsync(listener.Text("ab✓c")); // ✓ is 3 bytes: the limit cuts it after its first

        Assert.Equal("ab", outcome.ResponseBody);
    }

    [Fact]
    public async Task Send_WhenOneListenerHangs_AnotherListenerIsNotDelayed()
    {
        await using var hanging = await TestReceiver.StartAsync();
        await using var healthy = await TestReceiver.StartAsync();
        using var host = new SenderHost(new Dictionary<string, string?> { ["Webhooks:Delivery:Timeout"] = "00:01:00" });

        var stuck = host.SendAsync(hanging.Hang, "wh_hanging");
        await hanging.WhenReceived("/hang").WaitAsync(TimeSpan.FromSeconds(30));
        var outcome = await host.SendAsync(healthy.Status(200), "wh_healthy");

        Assert.True(outcome.Succeeded);
        Assert.False(stuck.IsCompleted);
        hanging.ReleaseHangs();
        Assert.True((await stuck).Succeeded);
    }

    [Fact]
    public async Task Send_WhenTheCallerCancels_ThrowsOperationCanceled()
    {
        await using var listener = await TestReceiver.StartAsync();
        using var host = new SenderHost(new Dictionary<string, string?> { ["Webhooks:Delivery:Timeout"] = "00:01:00" });
        using var cancellation = new CancellationTokenSource();

        var attempt = host.SendAsync(listener.Hang, cancellationToken: cancellation.Token);
        await listener.WhenReceived("/hang").WaitAsync(TimeSpan.FromSeconds(30));
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => attempt);
    }

    private static async Task<int> FreeButClosedPortAsync()
    {
        await using var listener = await TestReceiver.StartAsync();
        return listener.Port;
    }
}
