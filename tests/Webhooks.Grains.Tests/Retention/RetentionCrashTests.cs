using Microsoft.Extensions.DependencyInjection;
using Webhooks.Abstractions;
using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Listeners;
using Webhooks.Abstractions.Publishing;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Retention;
using Webhooks.Grains.Storage.Sqlite;
using Webhooks.Grains.Tests.Delivery;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.Retention;

/// <summary>
/// A silo that dies in the middle of a sweep loses nothing it should keep and leaves nothing behind for good: the
/// batches it committed stay done, the rest is removed by the next silo's sweep, and pending deliveries (with the
/// events they need) are never touched.
/// </summary>
public sealed class RetentionCrashTests
{
    private const int Events = 100;
    private const int BatchesBeforeTheCrash = 3;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ASiloKilledMidSweep_LeavesTheRestToTheNextSweep_AndEveryPendingDeliveryStays()
    {
        using var deployment = new TestDeployment();
        var okPort = TestReceiver.FreePort();
        await using var ok = await TestReceiver.StartAsync(okPort);
        var stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        StallingStore? store = null;
        var cluster = await WebhooksCluster.StartAsync(deployment, silo =>
        {
            Configure(silo);
            silo.Services.AddSingleton<IRetentionStore>(sp => store = new StallingStore(ActivatorUtilities.CreateInstance<SqliteRetentionStore>(sp), stalled));
        });

        string pendingListener;
        try
        {
            var tenantId = ResourceIds.NewTenantId();
            Assert.NotNull(await cluster.Tenant(tenantId).CreateAsync("Crash Ltd"));
            Assert.NotNull(await cluster.Router(tenantId).AddAsync(new ListenerDefinition($"http://127.0.0.1:{okPort}/hook", ["*"], null)));
            pendingListener = (await cluster.Router(tenantId).AddAsync(new ListenerDefinition($"http://127.0.0.1:{TestReceiver.FreePort()}/hook", ["*"], null)))!.Listener.Id;

            // All at once, so the deliveries all succeed within the second before any expires in the listener's own log
            // (which would remove expired rows itself, 64 at a time).
            var publisher = TestPublisher.Create(cluster.Grains, TimeProvider.System);
            var accepted = await Task.WhenAll(Enumerable.Range(0, Events).Select(i =>
                publisher.PublishAcceptedAsync(tenantId, new WebhookEvent("order.created", $"order_{i}", "{}"))));
            Assert.All(accepted, a => Assert.Equal(2, a.MatchedWebhooks));

            // The sweep commits its first batches of the successes, then the silo dies before the next one. (The
            // listener may have removed a batch of its own expired rows too: some are left either way.)
            await stalled.Task.WaitAsync(Patience);
            await GrainDeliveryTests.WaitUntilAsync(() => Task.FromResult(Count(deployment).Pending == Events), "the successful deliveries' outcomes reached storage", Patience);

            Assert.InRange(Count(deployment).Succeeded, 1, Events - store!.Removed);
        }
        finally
        {
            await cluster.CrashAsync();
        }

        // The next silo's sweeps finish the job, and leave every pending delivery and the events they need.
        await using var next = await WebhooksCluster.StartAsync(deployment, Configure);
        await GrainDeliveryTests.WaitUntilAsync(() => Task.FromResult(Count(deployment).Succeeded == 0), "the sweeps after the restart removed the remaining successes", Patience);

        Assert.Equal(Events, Count(deployment).Pending);
        Assert.Equal(Events, EventRows(deployment));
        var loaded = await next.SiloServices.GetRequiredService<Webhooks.Grains.Delivery.Log.IDeliveryLog>().LoadAsync(pendingListener);
        Assert.All(loaded, row => Assert.NotNull(row.Content));
    }

    // Successes leave after a second; the failing listener's deliveries stay pending (its retry is an hour away).
    private static void Configure(ISiloBuilder silo)
    {
        silo.Services.PostConfigure<DeliveryOptions>(o =>
        {
            o.AllowPrivateNetworks = true;
            o.PollInterval = TimeSpan.FromMilliseconds(50);
            o.RetrySchedule = [TimeSpan.FromHours(1)];
            o.CircuitBreakerFailures = 0;
        });
        silo.Services.PostConfigure<RetentionOptions>(o =>
        {
            o.SucceededDeliveries = TimeSpan.FromSeconds(1);
            o.SweepInterval = TimeSpan.FromMilliseconds(250);
            o.SweepBatch = 10;
        });
    }

    private static (long Succeeded, long Pending) Count(TestDeployment deployment)
    {
        using var connection = deployment.OpenDatabase();
        using var count = connection.CreateCommand();
        count.CommandText = $"SELECT COALESCE(SUM(Status = {(int)DeliveryStatus.Succeeded}), 0), COALESCE(SUM(Status = {(int)DeliveryStatus.Pending}), 0) FROM WebhooksDeliveries;";
        using var row = count.ExecuteReader();
        row.Read();
        return (row.GetInt64(0), row.GetInt64(1));
    }

    private static long EventRows(TestDeployment deployment)
    {
        using var connection = deployment.OpenDatabase();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM WebhooksEvents;";
        return (long)count.ExecuteScalar()!;
    }

    /// <summary>The store, until the sweep asks for one batch of deliveries more than it may have: that call never returns.</summary>
    private sealed class StallingStore(IRetentionStore inner, TaskCompletionSource stalled) : IRetentionStore
    {
        private int _batches;
        private int _removed;

        /// <summary>The deliveries the batches that returned removed.</summary>
        public int Removed => Volatile.Read(ref _removed);

        public Task<long?> LastEventBeforeAsync(DateTimeOffset cutoff) => inner.LastEventBeforeAsync(cutoff);

        public Task<long?> FirstEventAsync() => inner.FirstEventAsync();

        public async Task<SweptBatch> RemoveDeliveriesAsync(long fromEvent, DeliveryCutoffs cutoffs, int max)
        {
            var batch = await inner.RemoveDeliveriesAsync(fromEvent, cutoffs, max);
            Interlocked.Add(ref _removed, batch.Removed);
            if (batch.Removed > 0 && Interlocked.Increment(ref _batches) == BatchesBeforeTheCrash)
            {
                stalled.TrySetResult();
                await Task.Delay(Timeout.Infinite);
            }

            return batch;
        }

        public Task<SweptBatch> RemoveEventsAsync(long fromEvent, long upTo, DateTimeOffset cutoff, DateTimeOffset abandonedBefore, int max) =>
            inner.RemoveEventsAsync(fromEvent, upTo, cutoff, abandonedBefore, max);

        public Task<int> RemoveLegacyEventIdsAsync(DateTimeOffset cutoff, int max) => inner.RemoveLegacyEventIdsAsync(cutoff, max);
    }
}
