using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.Delivery;

/// <summary>Accepted means durable: a silo that dies while an attempt is on the wire loses nothing.</summary>
public sealed class GrainDeliveryCrashTests : GrainDeliveryTests
{
    [Fact]
    public async Task Attempt_WhenTheSiloDiesMidRequest_IsMadeAgainAfterTheRestart()
    {
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();
        Action<DeliveryOptions> options = o =>
        {
            o.Timeout = TimeSpan.FromMinutes(10);
            o.WakeInterval = TimeSpan.FromSeconds(1); // the stored wake-up row is what wakes the listener after the restart (read at start-up, or each interval)
        };

        string tenantId, listenerId, eventId;
        var crashed = await StartClusterAsync(deployment, options);
        try
        {
            (tenantId, var ids) = await TenantWithListenersAsync(crashed, target.Hang);
            listenerId = ids[0];
            eventId = (await PublishAsync(crashed, tenantId)).EventId;
            await target.WhenReceived("/hang").WaitAsync(TimeSpan.FromSeconds(30));
            await WaitUntilAsync(() => deployment.IsOnWakeUpList(listenerId), "the listener's wake-up row is stored");

            // From here on nothing the dying silo does reaches the database, as if the process were gone.
            crashed.Faults.CrashOn(_ => true);
        }
        finally
        {
            await crashed.CrashAsync();
        }

        target.ReleaseHangs(); // the listener is healthy now: it answers 200 at once
        await using var restarted = await StartClusterAsync(deployment, options);

        // Nobody calls the listener's grain: the restart alone must bring the delivery back.
        await WaitUntilAsync(() => Received(target, eventId) >= 2, "the event is delivered again after the restart");
        var delivery = await WaitForDeliveryAsync(restarted, tenantId, listenerId, eventId, d => d.Status == DeliveryStatus.Succeeded);

        var attempt = Assert.Single(delivery.Attempts); // the attempt cut short by the crash was never recorded
        Assert.Equal(200, attempt.StatusCode);
        Assert.Equal(2, Received(target, eventId)); // at-least-once: one duplicate, with the same webhook-id
    }

    [Fact]
    public async Task Publish_WhenTheSiloDiesBeforeTheWakeUpIsStored_DeliversEveryAcceptedEvent()
    {
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();
        Action<DeliveryOptions> options = o => o.WakeInterval = TimeSpan.FromSeconds(1);
        var wakeUps = new WakeUpFaults();

        string eventId;
        Task<Webhooks.Abstractions.Publishing.PublishResult> publish;
        bool accepted;
        var crashed = await StartClusterAsync(deployment, options, silo => silo.WithWakeUpFaults(wakeUps));
        try
        {
            var (tenantId, _) = await TenantWithListenersAsync(crashed, target.Hang); // an attempt before the crash never ends
            wakeUps.FreezeAdds();
            publish = PublishAsync(crashed, tenantId);
            await wakeUps.FrozenAdd.WaitAsync(TimeSpan.FromSeconds(30)); // the listener asked for its wake-up row, which will never be stored

            // Proving a negative takes a wait: ample time for a publish that does not wait for the wake-up to return.
            await Task.WhenAny(publish, Task.Delay(TimeSpan.FromSeconds(2)));
            accepted = publish.IsCompletedSuccessfully;
            eventId = accepted ? (await publish).EventId : "";
            crashed.Faults.CrashOn(_ => true);
        }
        finally
        {
            await crashed.CrashAsync();
        }

        _ = publish.ContinueWith(static t => t.Exception, TaskScheduler.Default); // it fails with the silo, or never ends
        var receivedBeforeRestart = Received(target, eventId);
        target.ReleaseHangs();
        await using var restarted = await StartClusterAsync(deployment, options);

        // An accepted event is delivered after the restart, with nobody calling the listener's grain; one the
        // silo died before accepting need not be.
        if (accepted)
        {
            await WaitUntilAsync(() => Received(target, eventId) > receivedBeforeRestart, "the accepted event is delivered after the restart");
        }
    }
}
