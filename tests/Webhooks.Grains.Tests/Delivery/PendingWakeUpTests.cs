using System.Diagnostics;
using Webhooks.Delivery.Http;
using Webhooks.Testing;

namespace Webhooks.Delivery;

/// <summary>
/// A restarted silo wakes the listeners with pending deliveries itself, with the default wake interval (1 minute)
/// whose reminder alone would leave them waiting up to that long.
/// </summary>
public sealed class PendingWakeUpTests : GrainDeliveryTests
{
    // Well inside the wake interval, with room for the retry's pause (1 s after the failed pass).
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Restart_WhenTheReminderTableIsUnreachableAtFirst_RetriesAndDeliversWithinSeconds()
    {
        using var deployment = new TestDeployment();
        await using var target = await FaultyListener.StartAsync();

        string tenantId, listenerId, eventId;
        await using (var stopped = await StartClusterAsync(deployment))
        {
            (tenantId, var ids) = await TenantWithListenersAsync(stopped, target.Hang);
            listenerId = ids[0];
            eventId = (await PublishAsync(stopped, tenantId)).EventId;
            await target.WhenReceived("/hang").WaitAsync(TimeSpan.FromSeconds(30)); // the attempt is out, and never recorded
        }

        target.ReleaseHangs(); // the listener is healthy now: it answers 200 at once
        var outage = new ReminderReadOutage();
        await using var restarted = await StartClusterAsync(deployment, configureSilo: silo => silo.FailReminderReadsDuring(outage));
        var clock = Stopwatch.StartNew();
        await WaitUntilAsync(() => outage.FailedReads > 0, "the silo read the reminder table during the outage, and failed");
        outage.End();

        // Nobody calls the listener's grain (reading its log would wake it): only the listener's side is watched.
        await WaitUntilAsync(() => Received(target, eventId) >= 2, "the event is delivered again after the restart");
        var delivered = clock.Elapsed;
        Assert.True(delivered <= Bound, $"delivered {delivered.TotalSeconds:F1} s after the restart (bound {Bound.TotalSeconds} s)");
        var delivery = await WaitForDeliveryAsync(restarted, tenantId, listenerId, eventId, d => d.Status == DeliveryStatus.Succeeded);
        Assert.Equal(200, Assert.Single(delivery.Attempts).StatusCode);
    }

    private static int Received(FaultyListener target, string eventId) =>
        target.Requests.Count(r => r.Headers.TryGetValue("webhook-id", out var id) && id == eventId);
}
