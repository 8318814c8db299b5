using Microsoft.Extensions.Time.Testing;
using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.Delivery;

/// <summary>
/// A listener failing continuously for <see cref="DeliveryOptions.DisableAfter"/> is disabled and parks new events;
/// enabling it resumes delivery, parked events included. Days pass on a fake clock: the silo's <see cref="TimeProvider"/> is a
/// <see cref="FakeTimeProvider"/>, while Orleans' own clocks (grain timers, membership, reminders) stay real.
/// </summary>
public sealed class GrainListenerHealthTests : GrainDeliveryTests
{
    private static readonly TimeSpan DisableAfter = TimeSpan.FromDays(5);
    private static readonly TimeSpan RetryStep = TimeSpan.FromHours(1);

    [Fact]
    public async Task Listener_FailingForDisableAfter_IsDisabled_AndEnablingItResumesDelivery()
    {
        using var deployment = new TestDeployment();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        await using var cluster = await StartClusterAsync(
            deployment,
            o =>
            {
                o.DisableAfter = DisableAfter;
                o.RetrySchedule = [.. Enumerable.Repeat(RetryStep, 200)];
                o.JitterRatio = 0;
                o.CircuitBreakerFailures = 0; // an open circuit would wait on the fake clock too
            },
            silo => FakeClock.Use(silo, clock));

        var port = TestReceiver.FreePort(); // nothing listens: connection refused, at once, with no timeout involved
        var (tenantId, ids) = await TenantWithListenersAsync(cluster, new Uri($"http://127.0.0.1:{port}/hook"));
        var listener = cluster.Listener(ids[0]);

        var first = await PublishAsync(cluster, tenantId, clock);
        Assert.Equal(1, first.MatchedWebhooks);
        var failing = await WaitForDeliveryAsync(cluster, tenantId, ids[0], first.EventId, d => d.Attempts.Length == 1);
        Assert.Contains("connection refused", failing.Attempts[0].Error, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.Pending, failing.Status);
        Assert.True((await listener.GetAsync())!.Enabled);

        // Past DisableAfter, the next due retry fails too, and that failure disables the listener.
        clock.Advance(DisableAfter + RetryStep);
        await WaitForDeliveryAsync(cluster, tenantId, ids[0], first.EventId, d => d.Attempts.Length == 2);
        var disabled = await listener.GetAsync();
        Assert.False(disabled!.Enabled);
        Assert.False(string.IsNullOrWhiteSpace(disabled.DisabledReason));
        Assert.Equal(DeliveryStatus.Pending, (await WaitForDeliveryAsync(cluster, tenantId, ids[0], first.EventId, _ => true)).Status);

        // Disabled, the listener parks new events: taken and logged, not attempted.
        var parked = await PublishAsync(cluster, tenantId, clock);
        Assert.Equal(1, parked.MatchedWebhooks);
        Assert.True(Assert.Single(await listener.EnqueueAsync([new EventEnvelope(tenantId, "event_direct", "order.created", "order_2", clock.GetUtcNow(), null)])));
        var log = await listener.GetDeliveriesAsync(tenantId, null, 1, 100);
        Assert.Equal(["event_direct", parked.EventId, first.EventId], log!.Items.Select(d => d.EventId));
        Assert.Equal([DeliveryStatus.Parked, DeliveryStatus.Parked, DeliveryStatus.Pending], log.Items.Select(d => d.Status));

        // Enabled, the pending delivery resumes on its schedule, the parked ones are delivered, and new events are queued again.
        await using var up = await TestReceiver.StartAsync(port);
        var enabled = await listener.EnableAsync(tenantId);
        Assert.True(enabled!.Enabled);
        Assert.Null(enabled.DisabledReason);

        // The parked ones are due at once; their attempts end before the clock moves (it times them out, too).
        await WaitForDeliveryAsync(cluster, tenantId, ids[0], parked.EventId, d => d.Status == DeliveryStatus.Succeeded);
        await WaitForDeliveryAsync(cluster, tenantId, ids[0], "event_direct", d => d.Status == DeliveryStatus.Succeeded);
        clock.Advance(RetryStep);

        var resumed = await WaitForDeliveryAsync(cluster, tenantId, ids[0], first.EventId, d => d.Status == DeliveryStatus.Succeeded);
        Assert.Equal([null, null, 200], resumed.Attempts.Select(a => a.StatusCode));
        var next = await PublishAsync(cluster, tenantId, clock);
        Assert.Equal(1, next.MatchedWebhooks);
        await WaitForDeliveryAsync(cluster, tenantId, ids[0], next.EventId, d => d.Status == DeliveryStatus.Succeeded);
        Assert.Equal(new[] { first.EventId, parked.EventId, "event_direct", next.EventId }.Order(StringComparer.Ordinal), up.EventIds.Order(StringComparer.Ordinal));
        Assert.True((await listener.GetAsync())!.Enabled);
    }
}
