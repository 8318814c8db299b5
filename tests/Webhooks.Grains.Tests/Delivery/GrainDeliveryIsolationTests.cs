using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.Delivery;

/// <summary>A listener that never answers holds up nobody else, not even listeners on the same host and port.</summary>
public sealed class GrainDeliveryIsolationTests : GrainDeliveryTests
{
    [Fact]
    public async Task Publish_WhenOneListenerHangs_AnotherListenerOfTheSameEventStillReceivesIt()
    {
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();
        // Far longer than the test: the hanging attempt must still be in flight when the healthy one is checked.
        await using var cluster = await StartClusterAsync(deployment, o => o.Timeout = TimeSpan.FromMinutes(10));
        var (tenantId, ids) = await TenantWithListenersAsync(cluster, target.Hang, target.Status(200));
        var (hanging, healthy) = (ids[0], ids[1]);

        var first = await PublishAsync(cluster, tenantId);

        Assert.Equal(2, first.MatchedWebhooks);
        await target.WhenReceived("/hang").WaitAsync(TimeSpan.FromSeconds(30));
        await WaitForDeliveryAsync(cluster, tenantId, healthy, first.EventId, d => d.Status == DeliveryStatus.Succeeded);

        // While the first attempt still hangs, a later event reaches the healthy listener too.
        var second = await PublishAsync(cluster, tenantId);
        var delivered = await WaitForDeliveryAsync(cluster, tenantId, healthy, second.EventId, d => d.Status == DeliveryStatus.Succeeded);
        Assert.Equal(200, Assert.Single(delivered.Attempts).StatusCode);

        var stuck = await WaitForDeliveryAsync(cluster, tenantId, hanging, first.EventId, _ => true);
        Assert.Equal(DeliveryStatus.Pending, stuck.Status);
        Assert.Empty(stuck.Attempts); // in flight: an attempt is recorded only once it has an outcome
        Assert.Single(target.Requests, r => r.Path == "/hang" && r.Headers["webhook-id"] == first.EventId);

        // Released, the hanging listener gets its delivery too: waiting cost it nothing but time.
        target.ReleaseHangs();
        await WaitForDeliveryAsync(cluster, tenantId, hanging, first.EventId, d => d.Status == DeliveryStatus.Succeeded);
        await WaitForDeliveryAsync(cluster, tenantId, hanging, second.EventId, d => d.Status == DeliveryStatus.Succeeded);
    }
}
