using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Delivery;
using Webhooks.Delivery.Http;
using Webhooks.Listeners;
using Webhooks.Testing;
using static Webhooks.Delivery.GrainDeliveryTests;

namespace Webhooks.Reminders;

/// <summary>
/// A platform's silo that has a reminder service of its own keeps it when the dispatcher is added: the listeners'
/// wake-up reminders go to the host's table, and none to the dispatcher's database.
/// </summary>
public sealed class HostReminderServiceTests
{
    [Fact]
    public async Task AddWebhooks_InASiloWithItsOwnReminderService_KeepsIt_AndStoresTheWakeUpRemindersThere()
    {
        using var deployment = new TestDeployment();
        await using var target = await FaultyListener.StartAsync();
        var hostTable = new ConcurrentBag<HostReminderTable>();
        await using var cluster = await WebhooksCluster.StartAsync(
            deployment,
            configureSilo: silo => silo.Services.PostConfigure<DeliveryOptions>(o =>
            {
                o.AllowPrivateNetworks = true;
                o.PollInterval = TimeSpan.FromMilliseconds(50);
            }),
            configureHost: silo => silo
                .UseInMemoryReminderService()
                .WrapReminderTable(inner =>
                {
                    var table = new HostReminderTable(inner);
                    hostTable.Add(table);
                    return table;
                }));
        var (tenantId, ids) = await TenantWithListenersAsync(cluster, target.Status(200));

        var published = (await PublishAsync(cluster, tenantId)).EventId;
        await WaitForDeliveryAsync(cluster, tenantId, ids[0], published, d => d.Status == DeliveryStatus.Succeeded);

        await WaitUntilAsync(
            () => hostTable.SingleOrDefault()?.Upserted.Contains((cluster.Listener(ids[0]).GetGrainId(), WebhookGrain.WakeReminder)) == true,
            "the listener's wake-up reminder is stored in the host's reminder table");
        Assert.Equal(0, deployment.ReadWakeReminder(ids[0]).Count);
    }

    /// <summary>The host's reminder table, recording what is stored in it.</summary>
    private sealed class HostReminderTable(IReminderTable inner) : DelegatingReminderTable(inner)
    {
        public ConcurrentBag<(GrainId Grain, string Name)> Upserted { get; } = [];

        public override Task<string?> UpsertRow(ReminderEntry entry)
        {
            Upserted.Add((entry.GrainId, entry.ReminderName));
            return base.UpsertRow(entry);
        }
    }
}
