using Webhooks.Delivery.Http;
using Webhooks.Testing;

namespace Webhooks.Delivery;

/// <summary>While a listener's circuit is open its queue waits: no attempts are made or recorded, and the schedule is untouched.</summary>
public sealed class CircuitHoldTests : GrainDeliveryTests
{
    [Fact]
    public async Task Deliveries_WhileTheCircuitIsOpen_WaitWithoutAttemptsAndGoOnceItCloses()
    {
        using var deployment = new TestDeployment();
        await using var target = await FaultyListener.StartAsync();
        await using var cluster = await StartClusterAsync(deployment, o =>
        {
            o.CircuitBreakerFailures = 2;
            o.CircuitBreakerDuration = TimeSpan.FromSeconds(3);
            o.RetrySchedule = [TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100)];
        });
        var (tenantId, ids) = await TenantWithListenersAsync(cluster, target.Unavailable);

        // Two events: their first attempts fail and open the circuit.
        var first = (await PublishAsync(cluster, tenantId)).EventId;
        var second = (await PublishAsync(cluster, tenantId)).EventId;
        await WaitForDeliveryAsync(cluster, tenantId, ids[0], first, d => d.Attempts.Count() == 1);
        await WaitForDeliveryAsync(cluster, tenantId, ids[0], second, d => d.Attempts.Count() == 1);

        // Well inside the break, and past both retries' due time: events keep being accepted, and no attempt is
        // made or recorded for anything.
        var third = (await PublishAsync(cluster, tenantId)).EventId;
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var held = await cluster.Listener(ids[0]).GetDeliveriesAsync(tenantId, null, 1, 10);
        Assert.Equal(2, target.Requests.Count);
        Assert.Equal(2, held!.Items.Sum(d => d.Attempts.Count()));
        Assert.Empty(held.Items.Single(d => d.EventId == third).Attempts);

        // After the break the listener has recovered: everything goes, with no attempt lost to the open circuit.
        target.Recover();
        foreach (var eventId in new[] { first, second, third })
        {
            var delivered = await WaitForDeliveryAsync(cluster, tenantId, ids[0], eventId, d => d.Status == DeliveryStatus.Succeeded);
            Assert.DoesNotContain(delivered.Attempts, a => a.Error?.StartsWith("circuit open", StringComparison.Ordinal) == true);
        }
    }
}
