using Microsoft.Extensions.DependencyInjection;
using Webhooks.Abstractions;
using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Listeners;
using Webhooks.Abstractions.Publishing;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.Delivery;

/// <summary>
/// Base of the delivery tests on the in-process cluster: real SQLite, real HTTP to a real listener, and
/// delivery options short enough for a test (fast polling, loopback allowed).
/// </summary>
public abstract class GrainDeliveryTests
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    /// <summary>Starts a cluster whose delivery options are the test defaults, then <paramref name="configure"/>'s changes.</summary>
    internal static Task<WebhooksCluster> StartClusterAsync(
        TestDeployment deployment, Action<DeliveryOptions>? configure = null, Action<ISiloBuilder>? configureSilo = null) =>
        WebhooksCluster.StartAsync(deployment, silo =>
        {
            silo.Services.PostConfigure<DeliveryOptions>(o =>
            {
                o.AllowPrivateNetworks = true;
                o.PollInterval = TimeSpan.FromMilliseconds(50);
                o.RetrySchedule = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(200)];
                configure?.Invoke(o);
            });
            configureSilo?.Invoke(silo);
        });

    /// <summary>A tenant (which signs its deliveries) with one listener per target, each subscribed to <c>*</c>.</summary>
    internal static async Task<(string TenantId, string[] ListenerIds)> TenantWithListenersAsync(WebhooksCluster cluster, params Uri[] targets)
    {
        var tenantId = ResourceIds.NewTenantId();
        Assert.NotNull(await cluster.Tenant(tenantId).CreateAsync("Delivery Ltd"));
        var ids = new List<string>();
        foreach (var target in targets)
        {
            var created = await cluster.Router(tenantId).AddAsync(new ListenerDefinition(target.ToString(), ["*"], null));
            ids.Add(created!.Listener.Id);
        }

        return (tenantId, [.. ids]);
    }

    /// <summary>
    /// Leaves one event pending on storage for a listener: a cluster on <paramref name="deployment"/> publishes it to
    /// <paramref name="target"/>'s hanging endpoint, and stops while the attempt is out, so it is never recorded.
    /// </summary>
    internal static async Task<(string TenantId, string ListenerId, string EventId)> LeavePendingAsync(TestDeployment deployment, TestReceiver target)
    {
        await using var stopped = await StartClusterAsync(deployment);
        var (tenantId, ids) = await TenantWithListenersAsync(stopped, target.Hang);
        var eventId = (await PublishAsync(stopped, tenantId)).EventId;
        await target.WhenReceived("/hang").WaitAsync(TimeSpan.FromSeconds(30));
        return (tenantId, ids[0], eventId);
    }

    /// <summary>How many times <paramref name="target"/> received the event <paramref name="eventId"/>.</summary>
    internal static int Received(TestReceiver target, string eventId) =>
        target.Requests.Count(r => r.Headers.TryGetValue("webhook-id", out var id) && id == eventId);

    internal static Task<PublishResult> PublishAsync(WebhooksCluster cluster, string tenantId, TimeProvider? time = null) =>
        TestPublisher.Create(cluster.Grains, time ?? TimeProvider.System)
            .PublishAcceptedAsync(tenantId, new WebhookEvent("order.created", "order_1", """{"total":42}"""));

    /// <summary>Polls the listener's log until its delivery of <paramref name="eventId"/> satisfies <paramref name="condition"/>.</summary>
    internal static Task<DeliveryView> WaitForDeliveryAsync(
        WebhooksCluster cluster, string tenantId, string listenerId, string eventId, Func<DeliveryView, bool> condition) =>
        WaitForDeliveryAsync(cluster.Grains, tenantId, listenerId, eventId, condition);

    /// <summary>The same, on any cluster's grain factory.</summary>
    internal static async Task<DeliveryView> WaitForDeliveryAsync(
        IGrainFactory grains, string tenantId, string listenerId, string eventId, Func<DeliveryView, bool> condition)
    {
        using var deadline = new CancellationTokenSource(WaitLimit);
        DeliveryView? last = null;
        while (!deadline.IsCancellationRequested)
        {
            var page = await grains.GetGrain<IListenerGrain>(listenerId).GetDeliveriesAsync(tenantId, null, 1, 100);
            last = page?.Items.SingleOrDefault(d => d.EventId == eventId);
            if (last is not null && condition(last))
            {
                return last;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
        }

        Assert.Fail($"The delivery of {eventId} to {listenerId} never reached the expected state; last seen: {Describe(last)}");
        return null!;
    }

    /// <summary>Waits for a condition nothing signals (a request count on the listener, a row in the database).</summary>
    internal static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(WaitLimit);
        while (!condition())
        {
            Assert.False(deadline.IsCancellationRequested, $"Timed out waiting until {what}.");
            await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
        }
    }

    /// <summary>Waits for a condition that takes a call to read (a count in the listener's log, rows in the database).</summary>
    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null)
    {
        using var deadline = new CancellationTokenSource(limit ?? WaitLimit);
        while (!await condition())
        {
            Assert.False(deadline.IsCancellationRequested, $"Timed out waiting until {what}.");
            await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
        }
    }

    internal static string Describe(DeliveryView? view) => view is null
        ? "(none)"
        : $"{view.Status}, attempts: [{string.Join("; ", view.Attempts.Select(a => $"{a.Attempt}: {a.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} {a.Error}"))}]";
}
