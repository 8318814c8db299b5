using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Abstractions;
using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Listeners;
using Webhooks.Abstractions.Publishing;
using Webhooks.Abstractions.Routing;
using Webhooks.Abstractions.Tenants;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Delivery.Log;
using Webhooks.Grains.Publishing;
using Webhooks.Grains.Retention;
using Webhooks.Grains.Tests.Delivery;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.Retention;

/// <summary>
/// Retention end to end on one storage engine: deliveries of each status and the events they refer to are published
/// through the product, days pass on a fake clock, the silo's own sweeper runs, and what is left is read back from the
/// database through the product's own readers. The default periods: successes 3 days, failures and parked 30 days,
/// events 30 days.
/// </summary>
public abstract class RetentionScenario
{
    private const string EventCode = "order.created";
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Retry = TimeSpan.FromHours(1);

    /// <summary>The delivery options every engine's cluster uses: one retry an hour later, so a failure ends on the fake clock.</summary>
    internal static void Configure(DeliveryOptions o)
    {
        o.AllowPrivateNetworks = true;
        o.PollInterval = TimeSpan.FromMilliseconds(50);
        o.RetrySchedule = [Retry];
        o.JitterRatio = 0;
        o.CircuitBreakerFailures = 0; // an open circuit would wait on the fake clock
    }

    /// <summary>The product's registrations for the test: the fake clock, and a sweeper that runs only when the test asks.</summary>
    internal static void ConfigureSilo(ISiloBuilder silo, FakeTimeProvider clock)
    {
        FakeClock.Use(silo, clock);
        silo.Services.PostConfigure<RetentionOptions>(o => o.SweepInterval = TimeSpan.FromDays(3650));
    }

    internal static FakeTimeProvider NewClock() => new(T0);

    /// <summary>
    /// Three listeners: one answering 200, one refusing connections (its deliveries fail), one refusing and then disabled
    /// by hand (its first delivery stays pending, the next is parked). Day 4: only successes are gone. Day 31: failures
    /// and parked ones are gone, and every event but the one a pending delivery still needs; enabling that listener
    /// delivers it with its payload. An id published again after its event was removed is a new event.
    /// </summary>
    internal static async Task RunAsync(IGrainFactory grains, IServiceProvider silo, FakeTimeProvider clock)
    {
        var sweeper = silo.GetRequiredService<RetentionSweeper>();
        var log = silo.GetRequiredService<IDeliveryLog>();
        var events = silo.GetRequiredService<IAcceptedEvents>();
        var okPort = TestReceiver.FreePort();
        await using var ok = await TestReceiver.StartAsync(okPort);
        var laterPort = TestReceiver.FreePort();

        var tenantId = ResourceIds.NewTenantId();
        Assert.NotNull(await grains.GetGrain<ITenantGrain>(tenantId).CreateAsync("Retention Ltd"));
        var router = grains.GetGrain<IEventRouterGrain>(tenantId);
        async Task<string> AddAsync(string uri) => (await router.AddAsync(new ListenerDefinition(uri, ["*"], null)))!.Listener.Id;
        var succeeding = await AddAsync($"http://127.0.0.1:{okPort}/hook");
        var failing = await AddAsync($"http://127.0.0.1:{TestReceiver.FreePort()}/hook");
        var waiting = await AddAsync($"http://127.0.0.1:{laterPort}/hook");

        var publisher = TestPublisher.Create(grains, clock);
        Task<PublishResult> PublishAsync(string eventId) =>
            publisher.PublishAcceptedAsync(tenantId, new WebhookEvent(EventCode, "order_" + eventId, $$"""{"id":"{{eventId}}"}""", eventId));

        // Day 0: event_1 succeeds on one, fails once on the other two (retried in an hour); the third is then disabled.
        Assert.Equal(3, (await PublishAsync("event_1")).MatchedWebhooks);
        await GrainDeliveryTests.WaitForDeliveryAsync(grains, tenantId, succeeding, "event_1", d => d.Status == DeliveryStatus.Succeeded);
        await GrainDeliveryTests.WaitForDeliveryAsync(grains, tenantId, failing, "event_1", d => d.Attempts.Length == 1);
        await GrainDeliveryTests.WaitForDeliveryAsync(grains, tenantId, waiting, "event_1", d => d.Attempts.Length == 1);
        await grains.GetGrain<IListenerGrain>(waiting).DisableAsync(tenantId);

        // An hour on, event_1's retry fails for good on the second; event_2 succeeds, fails, and is parked on the third.
        clock.Advance(Retry + TimeSpan.FromSeconds(1));
        await GrainDeliveryTests.WaitForDeliveryAsync(grains, tenantId, failing, "event_1", d => d.Status == DeliveryStatus.Failed);
        Assert.Equal(3, (await PublishAsync("event_2")).MatchedWebhooks);
        await GrainDeliveryTests.WaitForDeliveryAsync(grains, tenantId, succeeding, "event_2", d => d.Status == DeliveryStatus.Succeeded);
        await GrainDeliveryTests.WaitForDeliveryAsync(grains, tenantId, failing, "event_2", d => d.Attempts.Length == 1);
        clock.Advance(Retry + TimeSpan.FromSeconds(1));
        await GrainDeliveryTests.WaitForDeliveryAsync(grains, tenantId, failing, "event_2", d => d.Status == DeliveryStatus.Failed);
        Assert.Equal(DeliveryStatus.Parked, (await DeliveryAsync(grains, tenantId, waiting, "event_2"))!.Status);

        // Nothing is past its retention yet.
        Assert.Equal(0, (await sweeper.SweepAsync()).Total);

        // Day 4: the successes are past their 3 days; the rest stays.
        clock.Advance(TimeSpan.FromDays(4));
        var day4 = await sweeper.SweepAsync();
        Assert.Equal(new SweepResult(2, 0, 0), day4);
        Assert.Empty(await log.LoadAsync(succeeding));
        Assert.Equal([DeliveryStatus.Failed, DeliveryStatus.Failed], Statuses(await log.LoadAsync(failing)));
        Assert.Equal([DeliveryStatus.Pending, DeliveryStatus.Parked], Statuses(await log.LoadAsync(waiting)));
        Assert.NotNull(await events.FindAsync(tenantId, "event_1"));
        Assert.NotNull(await events.FindAsync(tenantId, "event_2"));

        // The listener's own log agrees, without waiting for a write.
        Assert.Equal(0, (await grains.GetGrain<IListenerGrain>(succeeding).GetDeliveriesAsync(tenantId, null, 1, 10))!.Total);
        Assert.Equal(2, (await grains.GetGrain<IListenerGrain>(failing).GetDeliveriesAsync(tenantId, null, 1, 10))!.Total);

        // Day 31: failures and the parked delivery are past their 30 days, and so is event_2; event_1 stays for its
        // pending delivery, which has yet to be attempted again.
        clock.Advance(TimeSpan.FromDays(27));
        var day31 = await sweeper.SweepAsync();
        Assert.Equal(new SweepResult(3, 1, 0), day31);
        Assert.Empty(await log.LoadAsync(failing));
        var kept = Assert.Single(await log.LoadAsync(waiting));
        Assert.Equal(DeliveryStatus.Pending, kept.Status);
        Assert.NotNull(kept.Content); // its payload, read with the row
        Assert.NotNull(await events.FindAsync(tenantId, "event_1"));
        Assert.Null(await events.FindAsync(tenantId, "event_2"));
        Assert.Equal(0, (await sweeper.SweepAsync()).Total);

        // Enabled (its endpoint up now), the third listener delivers the pending event from the kept payload.
        await using var up = await TestReceiver.StartAsync(laterPort);
        Assert.NotNull(await grains.GetGrain<IListenerGrain>(waiting).EnableAsync(tenantId));
        await GrainDeliveryTests.WaitForDeliveryAsync(grains, tenantId, waiting, "event_1", d => d.Status == DeliveryStatus.Succeeded);
        Assert.Contains("event_1", up.EventIds);

        // event_2's id is free again: published now, it is a new event, delivered again.
        Assert.Equal(3, (await PublishAsync("event_2")).MatchedWebhooks);
        await GrainDeliveryTests.WaitForDeliveryAsync(grains, tenantId, succeeding, "event_2", d => d.Status == DeliveryStatus.Succeeded);
        Assert.Equal(2, ok.EventIds.Count(id => id == "event_2"));

        // event_1, still stored, keeps de-duplicating until it is swept too.
        Assert.Equal(3, (await PublishAsync("event_1")).MatchedWebhooks);
        Assert.Equal(1, ok.EventIds.Count(id => id == "event_1"));
    }

    private static DeliveryStatus[] Statuses(IReadOnlyList<DeliveryRow> rows) => [.. rows.Select(r => r.Status)];

    private static Task<DeliveryView?> DeliveryAsync(IGrainFactory grains, string tenantId, string listenerId, string eventId) =>
        grains.GetGrain<IListenerGrain>(listenerId).GetDeliveryAsync(tenantId, eventId);
}
