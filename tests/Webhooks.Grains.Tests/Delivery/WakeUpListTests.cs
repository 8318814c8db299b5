using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.Delivery;

/// <summary>
/// A listener's row on the wake-up list is written when it first has something pending and removed only by a wake-up
/// that finds nothing pending: not at every drain, where under load it would cost a write per delivery.
/// </summary>
public sealed class WakeUpListTests : GrainDeliveryTests
{
    [Fact]
    public async Task WakeUpRow_OutlivesTheDrain_AndIsRemovedByAWakeUpThatFindsNothingPending()
    {
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();
        var wakeUps = new WakeUpFaults();
        await using var cluster = await StartClusterAsync(
            deployment, o => o.WakeInterval = TimeSpan.FromSeconds(10), silo => silo.WithWakeUpFaults(wakeUps));
        var (tenantId, ids) = await TenantWithListenersAsync(cluster, target.Status(200));

        var first = (await PublishAsync(cluster, tenantId)).EventId;
        await WaitForDeliveryAsync(cluster, tenantId, ids[0], first, d => d.Status == DeliveryStatus.Succeeded);
        Assert.True(deployment.IsOnWakeUpList(ids[0]), "the wake-up row is stored before the publish is answered");

        // Drained, and well inside the first wake interval: the row is still there, and a second event reuses it
        // rather than writing it again.
        var adds = wakeUps.Adds;
        var second = (await PublishAsync(cluster, tenantId)).EventId;
        await WaitForDeliveryAsync(cluster, tenantId, ids[0], second, d => d.Status == DeliveryStatus.Succeeded);
        Assert.True(deployment.IsOnWakeUpList(ids[0]));
        Assert.Equal(adds, wakeUps.Adds);

        await WaitUntilAsync(() => !deployment.IsOnWakeUpList(ids[0]), "a wake-up with nothing pending removes the row");
    }

    [Fact]
    public async Task Upgrade_FromStoredWakeUpReminders_DeliversThePendingEventsAfterTheRestart()
    {
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();

        var (tenantId, listenerId, eventId) = await LeavePendingAsync(deployment, target);

        // Back to schema version 6: the listener's wake-up was a reminder in Orleans' table then.
        using (var database = deployment.OpenDatabase())
        using (var command = database.CreateCommand())
        {
            command.CommandText = """
                INSERT INTO OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
                    SELECT ServiceId, GrainId, 'deliveries', '2026-01-01T00:00:00.0000000Z', 60000, 0, 0 FROM WebhooksWakeUps;
                INSERT INTO OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
                    VALUES ('a-host', 'licence/l_1', 'renewal', '2026-01-01T00:00:00.0000000Z', 60000, 0, 0);
                DROP TABLE WebhooksWakeUps;
                PRAGMA user_version = 6;
                """;
            command.ExecuteNonQuery();
        }

        target.ReleaseHangs();
        await using var restarted = await StartClusterAsync(deployment);

        // Nobody calls the listener's grain: its migrated row is what the restart wakes.
        await WaitUntilAsync(() => Received(target, eventId) >= 2, "the pending event is delivered again after the upgrade");
        await WaitForDeliveryAsync(restarted, tenantId, listenerId, eventId, d => d.Status == DeliveryStatus.Succeeded);
        Assert.Equal(1, deployment.CountRows("OrleansRemindersTable")); // the host's own reminder stays
    }
}
