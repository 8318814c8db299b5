using Webhooks.Abstractions;
using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Listeners;
using Webhooks.Abstractions.Publishing;
using Webhooks.Abstractions.Routing;
using Webhooks.Abstractions.Tenants;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Listeners;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.PostgreSql;

/// <summary>
/// Production mode: events published to a disabled listener are parked rows in PostgreSQL before the publish
/// returns, and enabling the listener turns those rows into deliveries that go out, a release batch at a time.
/// </summary>
public sealed class PostgreSqlParkedDeliveryTests
{
    private const string EventCode = "order.created";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ParkedEvents_AreStoredRows_AndEnablingDeliversEveryOne()
    {
        const int Events = ListenerGrain.ReleaseBatch + 20; // two release batches
        await using var target = await TestReceiver.StartAsync();
        await using var cluster = await PostgreSqlWebhooksCluster.StartAsync(1, o =>
        {
            o.AllowPrivateNetworks = true;
            o.PollInterval = TimeSpan.FromMilliseconds(100);
        });
        var tenantId = ResourceIds.NewTenantId();
        Assert.NotNull(await cluster.Grains.GetGrain<ITenantGrain>(tenantId).CreateAsync("Parking Ltd"));
        var listenerId = (await cluster.Grains.GetGrain<IEventRouterGrain>(tenantId).AddAsync(new ListenerDefinition(target.Status(200).ToString(), [EventCode], null)))!.Listener.Id;
        var listener = cluster.Grains.GetGrain<IListenerGrain>(listenerId);
        await listener.DisableAsync(tenantId);

        var publisher = TestPublisher.Create(cluster.Grains, TimeProvider.System);
        var accepted = await Task.WhenAll(Enumerable.Range(0, Events).Select(i => publisher.PublishAcceptedAsync(tenantId, new WebhookEvent(EventCode, $"order_{i}", "{}"))));
        Assert.All(accepted, a => Assert.Equal(1, a.MatchedWebhooks));

        var log = PostgreSqlWebhooksCluster.DeliveryLog(cluster.Silos[0]);
        var stored = await log.LoadAsync(listenerId);
        Assert.Equal(Events, stored.Count);
        Assert.All(stored, row => Assert.Equal(DeliveryStatus.Parked, row.Status));
        Assert.All(stored, row => Assert.Equal(DeliveryStatus.Parked, DeliveryQueue.FromRow(row).Status));

        await listener.EnableAsync(tenantId);
        var eventIds = accepted.Select(a => a.EventId).ToHashSet(StringComparer.Ordinal);
        using var deadline = new CancellationTokenSource(Patience);
        while (!(await log.LoadAsync(listenerId)).All(row => row.Status == DeliveryStatus.Succeeded))
        {
            Assert.False(deadline.IsCancellationRequested, "Timed out waiting until every parked delivery is stored as succeeded.");
            await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        }

        Assert.Equal(eventIds.Order(StringComparer.Ordinal), target.Succeeded.Select(r => r.Headers["webhook-id"]).Distinct().Order(StringComparer.Ordinal));
    }
}
