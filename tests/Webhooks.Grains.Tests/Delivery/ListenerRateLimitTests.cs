using Webhooks.Abstractions;
using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Listeners;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.Delivery;

/// <summary>
/// A listener's own <c>maxDeliveriesPerSecond</c>: the attempts beyond it wait, none fails for it, and a listener
/// without one is not slowed.
/// </summary>
public sealed class ListenerRateLimitTests : GrainDeliveryTests
{
    private const int Events = 30;
    private const double PerSecond = 5;

    [Fact]
    public async Task Listener_WithARateLimit_GetsNoMoreThanItAllowsInAnySecond_AndEveryEvent()
    {
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();
        await using var cluster = await StartClusterAsync(deployment);
        var tenantId = ResourceIds.NewTenantId();
        Assert.NotNull(await cluster.Tenant(tenantId).CreateAsync("Rate Ltd"));
        var limited = (await cluster.Router(tenantId).AddAsync(
            new ListenerDefinition(target.Text("limited").ToString(), ["*"], null, PerSecond)))!.Listener;
        Assert.Equal(PerSecond, limited.MaxDeliveriesPerSecond);
        var free = (await cluster.Router(tenantId).AddAsync(new ListenerDefinition(target.Status(200).ToString(), ["*"], null)))!.Listener;

        for (var i = 0; i < Events; i++)
        {
            await PublishAsync(cluster, tenantId);
        }

        await WaitUntilAsync(
            async () => (await cluster.Listener(limited.Id).GetDeliveriesAsync(tenantId, DeliveryStatus.Succeeded, 1, 1))?.Total == Events,
            "every event reaches the limited listener",
            TimeSpan.FromSeconds(60));

        // A bucket of one second's worth, refilled as it goes: at most twice the rate in any second, and the whole
        // run no faster than the rate after the first bucketful. Counted when each attempt started (its token was
        // taken), as the listener's log records it: arrival times add the network's jitter to the bucket's own.
        var log = (await cluster.Listener(limited.Id).GetDeliveriesAsync(tenantId, null, 1, 100))!.Items;
        Assert.All(log, d => Assert.Single(d.Attempts)); // waiting for a token is not a failed attempt
        var started = log.Select(d => d.Attempts[0].At).Order().ToArray();
        Assert.Equal(Events, started.Length);
        Assert.Equal(Events, target.Requests.Count(r => r.Path == "/text"));
        var busiest = started.Max(start => started.Count(t => t >= start && t < start.AddSeconds(1)));
        Assert.True(busiest <= 2 * PerSecond, $"{busiest} attempts within one second (limit {PerSecond}/s)");
        var span = started[^1] - started[0];
        Assert.True(span >= TimeSpan.FromSeconds((Events - PerSecond - 1) / PerSecond), $"{Events} attempts in {span.TotalSeconds:F1} s");
        var arrivals = target.Requests.Where(r => r.Path == "/text").Select(r => r.ReceivedAt).Order().ToArray();

        // The listener without a limit had all of them long before.
        var freeArrivals = target.Requests.Where(r => r.Path == "/status/200").Select(r => r.ReceivedAt).Order().ToArray();
        Assert.Equal(Events, freeArrivals.Length);
        Assert.True(freeArrivals[^1] < arrivals[^1], "the listener without a limit is not held back by the other's");
    }
}
