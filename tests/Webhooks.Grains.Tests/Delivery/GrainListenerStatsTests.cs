using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.Delivery;

/// <summary>
/// A listener's stats on the cluster: every recorded attempt but the test event's is counted, the last failure is
/// kept, and the counts outlive the activation (written when it ends).
/// </summary>
public sealed class GrainListenerStatsTests : GrainDeliveryTests
{
    [Fact]
    public async Task Stats_CountEveryAttempt_KeepTheLastFailure_AndOutliveTheActivation()
    {
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();
        var endpoint = target.Endpoint(503, 200); // the first answer fails, every later one succeeds
        await using var cluster = await StartClusterAsync(deployment);
        var (tenantId, ids) = await TenantWithListenersAsync(cluster, endpoint.Uri);
        var listener = cluster.Listener(ids[0]);

        var published = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            published.Add((await PublishAsync(cluster, tenantId)).EventId);
        }

        foreach (var eventId in published)
        {
            await WaitForDeliveryAsync(cluster, tenantId, ids[0], eventId, d => d.Status == DeliveryStatus.Succeeded);
        }

        var stats = (await listener.GetStatsAsync(tenantId))!;
        Assert.Equal(5, stats.LastHour.Attempts); // four events, one of them retried once
        Assert.Equal(4, stats.LastHour.Succeeded);
        Assert.Equal(0.8, stats.LastHour.SuccessRate);
        Assert.NotNull(stats.LastHour.LatencyP50Ms);
        Assert.True(stats.LastHour.LatencyP95Ms >= stats.LastHour.LatencyP50Ms);
        Assert.Equal(stats.LastHour with { }, stats.LastDay with { }); // everything happened within the hour
        Assert.Equal(503, stats.LastError!.StatusCode);
        Assert.Contains(stats.LastError.EventId, published); // whichever event was answered first
        Assert.Equal(0, stats.Pending);
        Assert.True(stats.ConcurrencyLimit >= 1);

        // The test event is the listener's own check, not its traffic.
        var testId = (await listener.TestAsync(tenantId))!;
        await WaitForDeliveryAsync(cluster, tenantId, ids[0], testId, d => d.Status == DeliveryStatus.Succeeded);
        Assert.Equal(5, (await listener.GetStatsAsync(tenantId))!.LastHour.Attempts);

        await cluster.DeactivateAsync(listener);

        var reloaded = (await listener.GetStatsAsync(tenantId))!;
        Assert.Equal(stats.LastHour, reloaded.LastHour);
        Assert.Equal(stats.LastError, reloaded.LastError);
        Assert.Null(await listener.GetStatsAsync("another-tenant"));
    }
}
