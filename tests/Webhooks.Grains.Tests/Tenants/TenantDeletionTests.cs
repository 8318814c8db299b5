using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Listeners;
using Webhooks.Abstractions.Tenants;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Tests.Delivery;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.Tenants;

/// <summary>
/// A tenant's deletion on the in-process cluster with real SQLite: it survives a crash in the middle and then removes
/// everything, listeners woken by the restart send nothing for the deleted tenant, and a deleted tenant's id starts
/// from nothing if it is ever used again.
/// </summary>
public sealed class TenantDeletionTests : GrainDeliveryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Deletion_InterruptedByACrash_ResumesAfterTheRestart_UntilNoRowOfTheTenantIsLeft()
    {
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();
        var failing = target.Status(503);

        // A second's wake interval: after the restart nothing calls the tenant, its wake-up row is what resumes the removal.
        Action<DeliveryOptions> options = o => o.WakeInterval = TimeSpan.FromSeconds(1);

        string[] leavingNeedles, stayingNeedles, leavingEvents;
        var crashed = await StartClusterAsync(deployment, options);
        try
        {
            // The leaving tenant's attempts hang, so its deliveries are still pending, and due, when the silo restarts.
            var hang = target.Hang;
            var (leaving, leavingListeners) = await TenantWithListenersAsync(crashed, hang, hang, hang, hang, hang);
            var (staying, stayingListeners) = await TenantWithListenersAsync(crashed, failing);
            leavingEvents = [(await PublishAsync(crashed, leaving)).EventId, (await PublishAsync(crashed, leaving)).EventId];
            var stayingEvent = (await PublishAsync(crashed, staying)).EventId;
            foreach (var listenerId in leavingListeners.Concat(stayingListeners))
            {
                await WaitUntilAsync(() => deployment.IsOnWakeUpList(listenerId), $"{listenerId} is on the wake-up list");
            }

            leavingNeedles = [leaving, .. leavingListeners, .. leavingEvents];
            stayingNeedles = [staying, .. stayingListeners, stayingEvent];

            // The removal freezes, as if the process died there, when it first clears a listener's state.
            crashed.Faults.CrashOn(w => w.State is null && w.StateName == "listener");
            var accepted = await crashed.Tenant(leaving).DeleteAsync();
            Assert.Equal(TenantStatus.Deleting, accepted?.Status);
            await crashed.Faults.Crashed.WaitAsync(Patience);

            // Asked again while the removal is under way: accepted again, still deleting.
            Assert.Equal(TenantStatus.Deleting, (await crashed.Tenant(leaving).DeleteAsync())?.Status);
        }
        finally
        {
            await crashed.CrashAsync();
        }

        Assert.NotEmpty(EveryTable.RowsHolding(await EveryTable.ReadAsync(postgreSql: false, deployment.ConnectionString), leavingNeedles));
        var requestsBefore = target.Requests.Count;
        await using var restarted = await StartClusterAsync(deployment, options);

        // Nobody calls anything: the stored deletion resumes on its own and removes every row.
        using var deadline = new CancellationTokenSource(Patience);
        while (EveryTable.RowsHolding(await EveryTable.ReadAsync(postgreSql: false, deployment.ConnectionString), leavingNeedles) is { Count: > 0 } left)
        {
            Assert.False(deadline.IsCancellationRequested, "Rows of the deleted tenant are left: " + string.Join(", ", left.Select(t => $"{t.Key} ({t.Value})")));
            await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        }

        Assert.Null(await restarted.Tenant(leavingNeedles[0]).GetAsync());
        var kept = EveryTable.RowsHolding(await EveryTable.ReadAsync(postgreSql: false, deployment.ConnectionString), stayingNeedles);
        Assert.Contains("WebhooksDeliveries", kept.Keys);
        Assert.Contains("WebhooksGrainState", kept.Keys);

        // The listeners the restart woke (their wake-up rows were still stored) sent nothing of the deleted tenant's.
        Assert.DoesNotContain(target.Requests.Skip(requestsBefore), r => r.Headers.TryGetValue("webhook-id", out var id) && leavingEvents.Contains(id));
    }

    [Fact]
    public async Task Tenant_OnceDeleted_CanBeCreatedAgainWithItsId_AsANewTenantWithNothingOfTheOld()
    {
        using var deployment = new TestDeployment();
        await using var cluster = await StartClusterAsync(deployment);
        var (tenantId, _) = await TenantWithListenersAsync(cluster, new Uri("https://hooks.example.com/old"));
        var oldKey = (await cluster.Tenant(tenantId).CreateKeyAsync("old"))!.ApiKey;
        var oldModulus = (await cluster.Tenant(tenantId).GetCredentialsAsync())!.PublicKeyModulus;

        await cluster.Tenant(tenantId).DeleteAsync();
        await WaitUntilGoneAsync(cluster, tenantId);

        // The activation that removed the tenant refuses the id (as taken) until it is gone; the next one takes it.
        TenantCreated? created;
        using (var deadline = new CancellationTokenSource(Patience))
        {
            while ((created = await cluster.Tenant(tenantId).CreateAsync("New Ltd")) is null)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
            }
        }

        Assert.NotNull(created);
        Assert.Equal(TenantStatus.Active, created.Tenant.Status);
        Assert.True(ApiKey.TryParse(oldKey, out var old));
        Assert.False(await cluster.Tenant(tenantId).VerifyKeyAsync(old));
        Assert.Equal(0, (await cluster.Router(tenantId).ListAsync(1, 10)).Total);
        Assert.NotEqual(oldModulus, (await cluster.Tenant(tenantId).GetCredentialsAsync())!.PublicKeyModulus);
    }

    [Fact]
    public async Task Router_OfATenantBeingDeleted_RefusesPublishesAndChanges()
    {
        using var deployment = new TestDeployment();
        await using var cluster = await StartClusterAsync(deployment);
        var (tenantId, listeners) = await TenantWithListenersAsync(cluster, new Uri("https://hooks.example.com/a"));

        // Frozen at its first listener clear, the removal stays in the middle for as long as the test looks.
        cluster.Faults.CrashOn(w => w.State is null);
        await cluster.Tenant(tenantId).DeleteAsync();

        // Straight to the router: a whole publish stores its event first, and this silo's storage is frozen.
        var envelope = new EventEnvelope(tenantId, "event_after_delete", "order.created", "order_1", DateTimeOffset.UtcNow, null);
        await Assert.ThrowsAsync<TenantDeletedException>(() => cluster.Router(tenantId).PublishAsync(envelope));
        await Assert.ThrowsAsync<TenantDeletedException>(() => cluster.Router(tenantId).AddAsync(new ListenerDefinition("https://hooks.example.com/b", ["*"], null)));
        await Assert.ThrowsAsync<TenantDeletedException>(() => cluster.Router(tenantId).RemoveAsync(listeners[0]));
        Assert.Equal(TenantStatus.Deleting, (await cluster.Tenant(tenantId).GetAsync())?.Status);
        await cluster.CrashAsync();
    }

    private static async Task WaitUntilGoneAsync(WebhooksCluster cluster, string tenantId)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (await cluster.Tenant(tenantId).GetAsync() is not null)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
        }
    }
}
