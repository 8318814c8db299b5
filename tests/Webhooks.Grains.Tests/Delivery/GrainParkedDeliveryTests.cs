using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.Delivery;

/// <summary>
/// Nothing is lost while a listener is disabled: matching events are parked, on storage before the publish returns,
/// and enabling the listener delivers them in order of acceptance or skips them; a crash part-way through the
/// release loses none.
/// </summary>
public sealed class GrainParkedDeliveryTests : GrainDeliveryTests
{
    [Fact]
    public async Task Events_PublishedWhileDisabledByHand_AreParked_AndEnablingDeliversThemInOrderOfAcceptance()
    {
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();
        await using var cluster = await StartClusterAsync(deployment, o => o.MaxConcurrencyPerListener = 1); // one at a time: arrival order is due order
        var (tenantId, ids) = await TenantWithListenersAsync(cluster, target.Status(200));
        var listener = cluster.Listener(ids[0]);

        var disabled = await listener.DisableAsync(tenantId);
        Assert.False(disabled!.Enabled);
        Assert.Equal("DisabledByUser", disabled.DisabledReason);

        var published = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var result = await PublishAsync(cluster, tenantId);
            Assert.Equal(1, result.MatchedWebhooks); // taken, not refused
            published.Add(result.EventId);
        }

        var parked = await listener.GetDeliveriesAsync(tenantId, DeliveryStatus.Parked, 1, 100);
        Assert.Equal(5, parked!.Total);
        Assert.All(parked.Items, d => Assert.Empty(d.Attempts));

        // Nothing signals an attempt that must not happen: a few poll intervals are ample time for one.
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Empty(target.Requests);

        var enabled = await listener.EnableAsync(tenantId, replayParked: true);
        Assert.True(enabled!.Enabled);
        Assert.Null(enabled.DisabledReason);
        var later = (await PublishAsync(cluster, tenantId)).EventId;

        await WaitUntilAsync(() => target.Succeeded.Count >= 6, "the parked events and the later one are delivered");
        Assert.Equal([.. published, later], target.Succeeded.Select(r => r.Headers["webhook-id"]));

        // A parked delivery keeps no payload in memory: what went out was read back from the stored event.
        Assert.All(target.Succeeded, r => Assert.Contains("\"total\":42", System.Text.Encoding.UTF8.GetString(r.Body), StringComparison.Ordinal));
        await WaitUntilAsync(async () => (await listener.GetDeliveriesAsync(tenantId, DeliveryStatus.Succeeded, 1, 100))!.Total == 6, "every outcome is recorded");
        Assert.Equal(0, (await listener.GetDeliveriesAsync(tenantId, DeliveryStatus.Parked, 1, 100))!.Total);
    }

    [Fact]
    public async Task Enable_WithoutReplay_SkipsTheParkedEvents_AndDeliversWhatComesAfter()
    {
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();
        await using var cluster = await StartClusterAsync(deployment);
        var (tenantId, ids) = await TenantWithListenersAsync(cluster, target.Status(200));
        var listener = cluster.Listener(ids[0]);

        await listener.DisableAsync(tenantId);
        var skipped = new[] { (await PublishAsync(cluster, tenantId)).EventId, (await PublishAsync(cluster, tenantId)).EventId };
        await listener.EnableAsync(tenantId, replayParked: false);
        var next = (await PublishAsync(cluster, tenantId)).EventId;

        await WaitForDeliveryAsync(cluster, tenantId, ids[0], next, d => d.Status == DeliveryStatus.Succeeded);
        var log = await listener.GetDeliveriesAsync(tenantId, DeliveryStatus.Skipped, 1, 100);
        Assert.Equal(skipped.Reverse(), log!.Items.Select(d => d.EventId));
        Assert.All(log.Items, d => Assert.Empty(d.Attempts));
        Assert.Equal([next], target.Requests.Select(r => r.Headers["webhook-id"]));
    }

    [Fact]
    public async Task PendingDelivery_WhenDisabledByHand_WaitsUnattempted_AndResumesOnEnable()
    {
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();
        await using var cluster = await StartClusterAsync(deployment, o =>
        {
            o.RetrySchedule = [.. Enumerable.Repeat(TimeSpan.FromMilliseconds(50), 100)];
            o.CircuitBreakerFailures = 0;
        });
        var (tenantId, ids) = await TenantWithListenersAsync(cluster, target.Unavailable); // 503 until recovered
        var listener = cluster.Listener(ids[0]);

        var eventId = (await PublishAsync(cluster, tenantId)).EventId;
        await WaitForDeliveryAsync(cluster, tenantId, ids[0], eventId, d => d.Attempts.Length >= 1);
        await listener.DisableAsync(tenantId);
        var attemptsWhenDisabled = (await WaitForDeliveryAsync(cluster, tenantId, ids[0], eventId, _ => true)).Attempts.Length;

        await Task.Delay(TimeSpan.FromMilliseconds(500)); // ten retry steps: not one may be taken
        var waiting = await WaitForDeliveryAsync(cluster, tenantId, ids[0], eventId, _ => true);
        Assert.Equal(DeliveryStatus.Pending, waiting.Status);
        Assert.InRange(waiting.Attempts.Length, attemptsWhenDisabled, attemptsWhenDisabled + 1); // at most the one already out

        target.Recover();
        await listener.EnableAsync(tenantId);
        var delivered = await WaitForDeliveryAsync(cluster, tenantId, ids[0], eventId, d => d.Status == DeliveryStatus.Succeeded);
        Assert.Equal(200, delivered.Attempts[^1].StatusCode);
    }

    [Fact]
    public async Task Enable_WhenTheSiloDiesMidRelease_LeavesEveryParkedDeliveryReleasedOrParked_AndEnablingAgainDeliversAll()
    {
        const int Count = ListenerGrainReleaseBatch * 2 + 40; // three release writes; the silo dies at the second
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();
        string tenantId, listenerId;
        string[] eventIds;
        var crashed = await StartClusterAsync(deployment);
        try
        {
            (tenantId, var ids) = await TenantWithListenersAsync(crashed, target.Status(200));
            listenerId = ids[0];
            var listener = crashed.Listener(listenerId);
            await listener.DisableAsync(tenantId);
            eventIds = [.. Enumerable.Range(0, Count).Select(i => $"event_{i:D4}")];
            var now = DateTimeOffset.UtcNow;
            var taken = await listener.EnqueueAsync([.. eventIds.Select(id => new EventEnvelope(tenantId, id, "order.created", "order_1", now, "{}"))]);
            Assert.All(taken, Assert.True);

            var logWrites = 0;
            crashed.Faults.CrashOn(w => w.StateName == "delivery-log" && ++logWrites == 2);
            var enabling = listener.EnableAsync(tenantId);
            await crashed.Faults.Crashed.WaitAsync(TimeSpan.FromSeconds(30));
            _ = enabling.ContinueWith(static t => t.Exception, TaskScheduler.Default); // it fails with the silo
        }
        finally
        {
            await crashed.CrashAsync();
        }

        await using var restarted = await StartClusterAsync(deployment);
        var after = restarted.Listener(listenerId);
        var view = await after.GetAsync();
        Assert.False(view!.Enabled); // the enable never completed
        var log = await after.GetDeliveriesAsync(tenantId, null, 1, Count + 10);
        Assert.Equal(eventIds.Order(StringComparer.Ordinal), log!.Items.Select(d => d.EventId).Order(StringComparer.Ordinal));
        Assert.Equal(ListenerGrainReleaseBatch, log.Items.Count(d => d.Status == DeliveryStatus.Pending)); // the first batch's write landed
        Assert.Equal(Count - ListenerGrainReleaseBatch, log.Items.Count(d => d.Status == DeliveryStatus.Parked));
        Assert.Empty(target.Requests); // still disabled: nothing attempted

        await after.EnableAsync(tenantId);
        await WaitUntilAsync(() => target.Succeeded.Select(r => r.Headers["webhook-id"]).Distinct().Count() == Count, "every event is delivered");
    }

    private const int ListenerGrainReleaseBatch = Webhooks.Grains.Listeners.ListenerGrain.ReleaseBatch;
}
