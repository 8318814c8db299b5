using System.Diagnostics;
using System.Text.Json;
using Orleans.TestingHost;
using Webhooks.Abstractions;
using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Listeners;
using Webhooks.Abstractions.Publishing;
using Webhooks.Abstractions.Routing;
using Webhooks.Abstractions.Tenants;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Testing;
using Xunit.Abstractions;

namespace Webhooks.Grains.Tests.PostgreSql;

/// <summary>
/// Production mode (issue #4): three silos on PostgreSQL, and the one hosting a listener dies while that
/// listener's deliveries are on the wire and failing. What was accepted is still delivered, by the survivors.
/// </summary>
public sealed class SiloCrashDeliveryTests(ITestOutputHelper output)
{
    private const int Events = 50;
    private const string EventCode = "order.created";

    // Generous: death detection takes a few seconds here, then a reminder period and a retry; this only bounds a broken test.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Publish_WhenTheListenersSiloDies_DeliversEveryAcceptedEvent()
    {
        await using var target = await TestReceiver.StartAsync();
        await using var cluster = await PostgreSqlWebhooksCluster.StartAsync(3, o =>
        {
            o.AllowPrivateNetworks = true; // the listener is on loopback
            o.PollInterval = TimeSpan.FromMilliseconds(100);
            o.WakeInterval = TimeSpan.FromSeconds(1); // after the kill, the reminder is all that wakes the listener
            o.RetrySchedule = [TimeSpan.Zero, TimeSpan.FromSeconds(1), .. Enumerable.Repeat(TimeSpan.FromSeconds(2), 40)];
            o.CircuitBreakerFailures = 0; // every attempt goes on the wire, so some are in flight when the silo dies
        });

        var tenantId = ResourceIds.NewTenantId();
        Assert.NotNull(await cluster.Grains.GetGrain<ITenantGrain>(tenantId).CreateAsync("Crash Ltd"));
        var router = cluster.Grains.GetGrain<IEventRouterGrain>(tenantId);
        var listenerId = (await router.AddAsync(new ListenerDefinition(target.Unavailable.ToString(), [EventCode], "crash test")))!.Listener.Id;
        var listener = cluster.Grains.GetGrain<IListenerGrain>(listenerId);

        // Whichever silo placement chose; its router, likely placed beside it, may well die with it.
        var host = await cluster.HostOfAsync(listener);
        var definition = await listener.GetAsync();
        var survivor = cluster.Silos.First(s => s != host);

        var publisher = TestPublisher.Create(cluster.Grains, TimeProvider.System);
        var accepted = await Task.WhenAll(Enumerable.Range(0, Events).Select(i =>
            publisher.PublishAcceptedAsync(tenantId, new WebhookEvent(EventCode, $"order_{i}", $$"""{"n":{{i}}}"""))));
        Assert.All(accepted, a => Assert.Equal(1, a.MatchedWebhooks));
        var eventIds = accepted.Select(a => a.EventId).ToHashSet(StringComparer.Ordinal);

        // Kill only once every delivery has a failed attempt on storage: history the survivors must not lose.
        var beforeKill = await WaitForStoredAsync(survivor, listener,
            s => s.Deliveries.Count == Events && s.Deliveries.All(d => d.Attempts.Count >= 1), "every delivery has a failed attempt on storage");
        await cluster.KillAsync(host);
        var requestsAtKill = target.Requests.Count;
        var killedAt = TimeProvider.System.GetUtcNow();
        var sinceKill = Stopwatch.StartNew();

        // Nobody calls the listener's grain now: its reminder, taken over by a survivor, must bring the retries back.
        // The listener still fails, so the proof is a failed attempt started after the kill and recorded by a survivor
        // (requests the dead silo had already started may still arrive; their outcomes are never recorded).
        await WaitForStoredAsync(survivor, listener,
            s => s.Deliveries.Any(d => d.Attempts.Any(a => a.At > killedAt && a.StatusCode == 503)), "a survivor records a retry");
        var firstRetryAfter = sinceKill.Elapsed;
        target.Recover();
        await WaitUntilAsync(() => eventIds.IsSubsetOf(target.Succeeded.Select(WebhookId)), "every accepted event is answered 200");
        var deliveredAfter = sinceKill.Elapsed;
        var afterKill = await WaitForStoredAsync(survivor, listener,
            s => s.Deliveries.Count == Events && s.Deliveries.All(d => d.Status == DeliveryStatus.Succeeded), "every delivery is recorded as succeeded");

        var received = target.Succeeded.GroupBy(WebhookId).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        output.WriteLine($"{Events} events accepted; {target.Requests.Count} requests in all, {requestsAtKill} of them before the kill.");
        output.WriteLine($"After the kill: first retry recorded by a survivor at {firstRetryAfter.TotalSeconds:F1} s, every event delivered at {deliveredAfter.TotalSeconds:F1} s.");
        output.WriteLine($"Delivered (200): {received.Count} distinct events, {received.Values.Sum()} requests, {received.Values.Sum(c => c - 1)} duplicates.");

        // Every accepted event reached the listener, and nothing else did.
        Assert.Equal(eventIds.Order(StringComparer.Ordinal), received.Keys.Order(StringComparer.Ordinal));

        // Every success came on a retry: the failed attempts before it were not forgotten.
        var stored = afterKill.Deliveries.ToDictionary(d => d.EventId, StringComparer.Ordinal);
        Assert.All(afterKill.Deliveries, d => Assert.Equal(200, d.Attempts[^1].StatusCode));
        Assert.All(target.Succeeded, r => Assert.True(CallAttempt(r) > 1, "a success came on a first attempt, though every first attempt failed"));

        // What was written before the kill is intact: each delivery's earlier attempts lead its log unchanged.
        Assert.All(beforeKill.Deliveries, before =>
        {
            var after = stored[before.EventId].Attempts;
            Assert.True(after.Count > before.Attempts.Count, $"{before.EventId} has no attempt after the kill");
            Assert.Equal(
                before.Attempts.Select(a => (a.Attempt, a.At, a.StatusCode)),
                after.Take(before.Attempts.Count).Select(a => (a.Attempt, a.At, a.StatusCode)));
        });

        // So are the definition and the routing, read through a survivor that now hosts the listener.
        Assert.NotEqual(host.SiloAddress, (await cluster.HostOfAsync(listener)).SiloAddress);
        TestListeners.AssertSameView(definition!, await listener.GetAsync());
        Assert.Equal(listenerId, Assert.Single(await router.MatchAsync(EventCode)));
        Assert.Equal(listenerId, Assert.Single((await router.ListAsync(1, 10)).Items).Id);
    }

    private static string WebhookId(ReceivedRequest request) => request.Headers["webhook-id"];

    /// <summary>Polls the listener's deliveries as stored in the database, read through <paramref name="silo"/>'s delivery log.</summary>
    private static async Task<StoredDeliveries> WaitForStoredAsync(InProcessSiloHandle silo, IListenerGrain listener, Func<StoredDeliveries, bool> condition, string what)
    {
        var log = PostgreSqlWebhooksCluster.DeliveryLog(silo);
        using var deadline = new CancellationTokenSource(Patience);
        while (true)
        {
            var stored = new StoredDeliveries([.. (await log.LoadAsync(listener.GetPrimaryKeyString())).Select(DeliveryQueue.FromRow)]);
            if (condition(stored))
            {
                return stored;
            }

            Assert.False(deadline.IsCancellationRequested, $"Timed out waiting until {what}.");
            await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        }
    }

    /// <summary>Waits for a condition nothing signals (requests arriving at the listener).</summary>
    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (!condition())
        {
            Assert.False(deadline.IsCancellationRequested, $"Timed out waiting until {what}.");
            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        }
    }

    private static int CallAttempt(ReceivedRequest request) =>
        JsonDocument.Parse(request.Body).RootElement.GetProperty("callAttempt").GetInt32();

    /// <summary>A listener's delivery rows, read back.</summary>
    private sealed record StoredDeliveries(IReadOnlyList<DeliveryRecord> Deliveries);
}
