using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Testing;
using static Webhooks.Grains.Tests.Delivery.GrainDeliveryTests;

namespace Webhooks.Grains.Tests.Reminders;

/// <summary>
/// The dispatcher brings no reminder service into a silo and stores nothing in one: a platform's silo keeps its own
/// (or its having none), and the listeners' work resumes from the dispatcher's own wake-up list.
/// </summary>
public sealed class HostReminderServiceTests
{
    [Fact]
    public async Task AddWebhooks_InASiloWithItsOwnReminderService_KeepsIt_AndStoresNothingInIt()
    {
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();
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
        Assert.True(deployment.IsOnWakeUpList(ids[0]), "the listener's wake-up is on the dispatcher's own list");
        Assert.NotNull((await cluster.Tenant(tenantId).DeleteAsync())?.Status);

        // The host's table is the one the silo uses, and nothing of the dispatcher's went into it.
        Assert.Empty(Assert.Single(hostTable).Upserted);
        Assert.Equal(0, deployment.CountRows("OrleansRemindersTable"));
    }

    [Fact]
    public async Task AddWebhooks_InASiloWithoutAReminderService_AddsNone()
    {
        using var deployment = new TestDeployment();
        await using var cluster = await WebhooksCluster.StartAsync(deployment);

        Assert.Null(cluster.SiloServices.GetService<IReminderTable>());
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
