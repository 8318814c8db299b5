using Webhooks.Delivery.Http;
using Webhooks.Testing;

namespace Webhooks.Delivery;

/// <summary>
/// The wake-up reminder is written when a listener first has something pending and removed only by a tick that
/// finds nothing pending: not at every drain, where under load it would cost a reminder-table write per delivery.
/// </summary>
public sealed class WakeReminderTests : GrainDeliveryTests
{
    [Fact]
    public async Task WakeReminder_OutlivesTheDrain_AndIsRemovedByATickThatFindsNothingPending()
    {
        using var deployment = new TestDeployment();
        await using var target = await FaultyListener.StartAsync();
        await using var cluster = await StartClusterAsync(deployment, o => o.WakeInterval = TimeSpan.FromSeconds(10));
        var (tenantId, ids) = await TenantWithListenersAsync(cluster, target.Status(200));

        var first = (await PublishAsync(cluster, tenantId)).EventId;
        await WaitForDeliveryAsync(cluster, tenantId, ids[0], first, d => d.Status == DeliveryStatus.Succeeded);
        await WaitUntilAsync(() => WakeReminders(deployment, ids[0]) == 1, "the wake-up reminder is stored");

        // Drained, and well inside the first tick's period: the reminder is still there, and a second event
        // reuses it rather than writing it again.
        var version = ReminderVersion(deployment, ids[0]);
        var second = (await PublishAsync(cluster, tenantId)).EventId;
        await WaitForDeliveryAsync(cluster, tenantId, ids[0], second, d => d.Status == DeliveryStatus.Succeeded);
        Assert.Equal(1, WakeReminders(deployment, ids[0]));
        Assert.Equal(version, ReminderVersion(deployment, ids[0]));

        await WaitUntilAsync(() => WakeReminders(deployment, ids[0]) == 0, "a tick with nothing pending removes the reminder");
    }

    private static long WakeReminders(TestDeployment deployment, string listenerId) => deployment.ReadWakeReminder(listenerId).Count;

    private static long? ReminderVersion(TestDeployment deployment, string listenerId) => deployment.ReadWakeReminder(listenerId).Version;
}
