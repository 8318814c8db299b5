using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.Delivery;

/// <summary>While a listener's circuit is open its queue waits: no attempts are made or recorded, and the schedule is untouched.</summary>
public sealed class CircuitHoldTests : GrainDeliveryTests
{
    [Fact]
    public async Task Deliveries_WhileTheCircuitIsOpen_WaitWithoutAttemptsAndGoOnceItCloses()
    {
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();
        await using var cluster = await StartClusterAsync(deployment, o =>
        {
            o.CircuitBreakerFailures = 2;
            o.CircuitBreakerDuration = TimeSpan.FromSeconds(4);
            o.RetrySchedule = [TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100)];
        });
        var (tenantId, ids) = await TenantWithListenersAsync(cluster, target.Unavailable);

        // Two events: their first attempts fail and open the circuit. On a slow machine the first event's retry
        // may come due before the second attempt has failed, so "open" is counted from what was sent by then.
        var first = (await PublishAsync(cluster, tenantId)).EventId;
        var second = (await PublishAsync(cluster, tenantId)).EventId;
        await WaitForDeliveryAsync(cluster, tenantId, ids[0], first, d => d.Attempts.Any());
        await WaitForDeliveryAsync(cluster, tenantId, ids[0], second, d => d.Attempts.Any());
        var sentBeforeTheBreak = await SettledAttemptCountAsync(cluster, tenantId, ids[0], target);

        // Well inside the break, and past both retries' due time: events keep being accepted, and no attempt is
        // made or recorded for anything.
        var third = (await PublishAsync(cluster, tenantId)).EventId;
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var held = await cluster.Listener(ids[0]).GetDeliveriesAsync(tenantId, null, 1, 10);
        Assert.InRange(sentBeforeTheBreak, 2, 3);
        Assert.Equal(sentBeforeTheBreak, target.Requests.Count);
        Assert.Equal(sentBeforeTheBreak, held!.Items.Sum(d => d.Attempts.Count()));
        Assert.Empty(held.Items.Single(d => d.EventId == third).Attempts);

        // After the break the listener has recovered: everything goes, with no attempt lost to the open circuit.
        target.Recover();
        foreach (var eventId in new[] { first, second, third })
        {
            var delivered = await WaitForDeliveryAsync(cluster, tenantId, ids[0], eventId, d => d.Status == DeliveryStatus.Succeeded);
            Assert.DoesNotContain(delivered.Attempts, a => a.Error?.StartsWith("circuit open", StringComparison.Ordinal) == true);
        }
    }

    /// <summary>Waits until every request the listener received has its attempt recorded, and returns how many there are.</summary>
    private static async Task<int> SettledAttemptCountAsync(WebhooksCluster cluster, string tenantId, string listenerId, TestReceiver target)
    {
        var recorded = -1;
        await WaitUntilAsync(async () =>
        {
            var sent = target.Requests.Count;
            var page = await cluster.Listener(listenerId).GetDeliveriesAsync(tenantId, null, 1, 10);
            recorded = page!.Items.Sum(d => d.Attempts.Count());
            return recorded == sent && sent == target.Requests.Count;
        }, "every request sent has its attempt recorded");
        return recorded;
    }
}
