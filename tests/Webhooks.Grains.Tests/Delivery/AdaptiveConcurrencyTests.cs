using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.Delivery;

/// <summary>
/// Each listener's limit of attempts in flight adapts to it: it falls when the listener pushes back (429) until the
/// listener gets no more than it takes, and rises while the listener takes everything, up to the maximum.
/// </summary>
public sealed class AdaptiveConcurrencyTests : GrainDeliveryTests
{
    private const int Events = 120;

    [Fact]
    public async Task Listener_ThatRefusesBeyondItsCapacity_SoonGetsNoMoreThanItTakes_AndLosesNothing()
    {
        const int capacity = 3;
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();
        await using var cluster = await StartClusterAsync(deployment, o =>
        {
            o.InitialConcurrency = 16;
            o.MaxConcurrencyPerListener = 32;
            o.RetrySchedule = [.. Enumerable.Repeat(TimeSpan.FromMilliseconds(100), 40)];
        });
        var (tenantId, ids) = await TenantWithListenersAsync(cluster, target.Capacity(capacity, delayMs: 40));

        for (var i = 0; i < Events; i++)
        {
            await PublishAsync(cluster, tenantId);
        }

        // Nothing lost: every event ends succeeded, however many 429s it met on the way.
        await AllSucceededAsync(cluster, tenantId, ids[0]);

        // The first burst met 429s; once the limit had fallen, the listener never saw more in flight than it takes
        // plus the one attempt by which the limit probes for more.
        var arrivals = target.InFlightOnArrival.ToArray();
        Assert.True(target.Refused > 0, "the listener pushed back at the start");
        var settled = arrivals[(arrivals.Length / 2)..];
        Assert.True(settled.Max() <= capacity + 1, $"in flight on arrival after settling: max {settled.Max()} (capacity {capacity})");
    }

    [Fact]
    public async Task Listener_ThatTakesEverything_GetsMoreInFlight_ThanTheInitialLimit_UpToTheMaximum()
    {
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();
        await using var cluster = await StartClusterAsync(deployment, o =>
        {
            o.InitialConcurrency = 2;
            o.MaxConcurrencyPerListener = 8;
        });
        var (tenantId, ids) = await TenantWithListenersAsync(cluster, target.Capacity(1000, delayMs: 30));

        // All at once: the backlog must outrun the deliveries for the limit to be used up and earn more, however
        // slowly this machine publishes one after another.
        await Task.WhenAll(Enumerable.Range(0, Events).Select(_ => PublishAsync(cluster, tenantId)));

        await AllSucceededAsync(cluster, tenantId, ids[0]);
        // It started at the initial limit and earned more, never past the maximum.
        Assert.Equal(0, target.Refused);
        Assert.True(target.InFlightOnArrival.Take(4).Max() <= 2, "the first attempts go two at a time");
        Assert.InRange(target.PeakInFlight, 5, 8);
    }

    private static Task AllSucceededAsync(WebhooksCluster cluster, string tenantId, string listenerId) =>
        WaitUntilAsync(
            async () => (await cluster.Listener(listenerId).GetDeliveriesAsync(tenantId, DeliveryStatus.Succeeded, 1, 1))?.Total == Events,
            $"all {Events} deliveries succeed",
            TimeSpan.FromSeconds(90));
}
