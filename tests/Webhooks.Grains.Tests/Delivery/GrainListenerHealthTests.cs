using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Testing;

namespace Webhooks.Delivery;

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
            silo => UseFakeClock(silo, clock));

        var port = ClosedPort(); // nothing listens: connection refused, at once, with no timeout involved
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
        await using var up = await AnsweringListener.StartAsync(port);
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

    /// <summary>
    /// The product's services (the grains, the sender) take the unkeyed <see cref="TimeProvider"/>; Orleans resolves
    /// a keyed one per area that defaults to the unkeyed one, so those are pinned back to real time.
    /// </summary>
    private static void UseFakeClock(ISiloBuilder silo, FakeTimeProvider clock)
    {
        silo.Services.AddSingleton<TimeProvider>(clock);
        silo.Services.RemoveAllKeyed<TimeProvider>(KeyedService.AnyKey);
        silo.Services.AddKeyedSingleton<TimeProvider>(KeyedService.AnyKey, TimeProvider.System);
    }

    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>A listener that comes up on a given port (the one the test kept closed until now) and answers 200.</summary>
    private sealed class AnsweringListener : IAsyncDisposable
    {
        private readonly ConcurrentQueue<string> _eventIds = new();
        private WebApplication? _app;

        public IReadOnlyCollection<string> EventIds => _eventIds;

        public static async Task<AnsweringListener> StartAsync(int port)
        {
            var listener = new AnsweringListener();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
            listener._app = builder.Build();
            listener._app.Run(context =>
            {
                listener._eventIds.Enqueue(context.Request.Headers["webhook-id"].ToString());
                return Task.CompletedTask;
            });
            await listener._app.StartAsync();
            return listener;
        }

        public async ValueTask DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }
    }
}
