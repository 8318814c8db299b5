using Webhooks.Abstractions;
using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Listeners;
using Webhooks.Abstractions.Publishing;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Delivery.Log;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.Delivery;

/// <summary>
/// Ordered delivery survives a crash: the next delivery of a resource is not sent while the outcome of the one before
/// it is still on its way to storage, so the one sent again after a restart is never sent after its successor.
/// </summary>
public sealed class OrderedDeliveryCrashTests : GrainDeliveryTests
{
    [Fact]
    public async Task SiloDyingBeforeTheHeadsSuccessIsStored_SendsTheHeadAgain_AndOnlyThenItsSuccessor()
    {
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();
        Action<DeliveryOptions> options = o =>
        {
            o.Timeout = TimeSpan.FromMinutes(10);
            o.WakeInterval = TimeSpan.FromSeconds(1);
        };

        string tenantId, listenerId, first, second, other;
        var crashed = await StartClusterAsync(deployment, options);
        try
        {
            tenantId = ResourceIds.NewTenantId();
            Assert.NotNull(await crashed.Tenant(tenantId).CreateAsync("Ordered Ltd"));
            listenerId = (await crashed.Router(tenantId).AddAsync(
                new ListenerDefinition(target.Hang.ToString(), ["*"], null, null, ListenerOrdering.Resource)))!.Listener.Id;
            var publisher = TestPublisher.Create(crashed.Grains);
            first = (await publisher.PublishAcceptedAsync(tenantId, Order("order_1"))).EventId;
            await target.WhenReceived("/hang").WaitAsync(TimeSpan.FromSeconds(30)); // the head is out, and stays out
            second = (await publisher.PublishAcceptedAsync(tenantId, Order("order_1"))).EventId;
            other = (await publisher.PublishAcceptedAsync(tenantId, Order("order_2"))).EventId;

            // Another resource is not held back by the first one's attempt; the first's successor is.
            await WaitUntilAsync(() => Received(target, other) == 1, "the other resource's event is sent beside the first");
            Assert.Equal(0, Received(target, second));
            await WaitUntilAsync(() => deployment.IsOnWakeUpList(listenerId), "the listener's wake-up row is stored");

            // The first one's success is recorded in memory, and the silo dies as its write goes to storage.
            crashed.Faults.CrashOn(w => w.StateName == "delivery-log" && w.State is DeliveryLogChanges changes
                && changes.Upserts.Any(r => r.Status == DeliveryStatus.Succeeded));
            target.ReleaseHangs(); // from now on every request is answered 200 at once
            await crashed.Faults.Crashed.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            await crashed.CrashAsync();
        }

        await using var restarted = await StartClusterAsync(deployment, options);
        await WaitForDeliveryAsync(restarted, tenantId, listenerId, second, d => d.Status == DeliveryStatus.Succeeded);

        // The head was answered before the crash and is sent again (at-least-once), but never after its successor.
        var order = target.Requests.Select(r => r.Headers.GetValueOrDefault("webhook-id")).Where(id => id == first || id == second).ToList();
        Assert.Equal([first, first, second], order);
    }

    private static WebhookEvent Order(string resourceId) => new(TestPublisher.EventCode, resourceId, """{"total":42}""");
}
