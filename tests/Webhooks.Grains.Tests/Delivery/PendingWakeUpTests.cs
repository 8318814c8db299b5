using System.Diagnostics;
using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.Delivery;

/// <summary>
/// A restarted silo wakes the listeners with pending deliveries at once, not at the first wake interval (1 minute by
/// default), even when its first read of the wake-up list fails.
/// </summary>
public sealed class PendingWakeUpTests : GrainDeliveryTests
{
    // Well inside the wake interval, with room for the retry's pause (1 s after the failed pass).
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Restart_WhenTheWakeUpListIsUnreachableAtFirst_RetriesAndDeliversWithinSeconds()
    {
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();

        var (tenantId, listenerId, eventId) = await LeavePendingAsync(deployment, target);

        target.ReleaseHangs(); // the listener is healthy now: it answers 200 at once
        var outage = new WakeUpFaults().StartReadOutage();
        await using var restarted = await StartClusterAsync(deployment, configureSilo: silo => silo.WithWakeUpFaults(outage));
        var clock = Stopwatch.StartNew();
        await WaitUntilAsync(() => outage.FailedReads > 0, "the silo read the wake-up list during the outage, and failed");
        outage.EndReadOutage();

        // Nobody calls the listener's grain (reading its log would wake it): only the listener's side is watched.
        await WaitUntilAsync(() => Received(target, eventId) >= 2, "the event is delivered again after the restart");
        var delivered = clock.Elapsed;
        Assert.True(delivered <= Bound, $"delivered {delivered.TotalSeconds:F1} s after the restart (bound {Bound.TotalSeconds} s)");
        var delivery = await WaitForDeliveryAsync(restarted, tenantId, listenerId, eventId, d => d.Status == DeliveryStatus.Succeeded);
        Assert.Equal(200, Assert.Single(delivery.Attempts).StatusCode);
    }
}
