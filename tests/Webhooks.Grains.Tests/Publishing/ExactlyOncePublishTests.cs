using Microsoft.Extensions.DependencyInjection;
using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Publishing;
using Webhooks.Grains.Tests.Delivery;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.Publishing;

/// <summary>
/// A platform grain that stores a change and then publishes its webhook under an id derived from the change
/// (<see cref="WebhookEventIds.ForChange"/>) delivers each change once as the listener sees it, even when its silo is
/// killed between the state write and the publish, or between the publish and its own record of it, and the
/// publish is retried by a fresh activation on the next silo.
/// </summary>
public sealed class ExactlyOncePublishTests : GrainDeliveryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(CrashPoint.AfterStateWrite)]
    [InlineData(CrashPoint.AfterPublish)]
    public async Task SiloKilledBetweenStateWriteAndPublish_RetryDeliversEachVersionOnce(CrashPoint crashAt)
    {
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();
        var entitlementId = "ent_" + Guid.NewGuid().ToString("N");
        var first = EntitlementGrain.EventId(entitlementId, 1);
        var second = EntitlementGrain.EventId(entitlementId, 2);
        string tenantId;
        string[] listenerIds;
        var crashPoints = new EntitlementCrashPoints(crashAt);
        var crashed = await StartClusterAsync(deployment, configureSilo: silo => silo.Services.AddSingleton(crashPoints));
        try
        {
            (tenantId, listenerIds) = await TenantWithListenersAsync(crashed, target.Status(200), target.Status(200));
            var change = crashed.Grains.GetGrain<IEntitlementGrain>(entitlementId).ChangeAsync(tenantId, 5);
            await crashPoints.Reached.WaitAsync(Patience);
            Assert.False(change.IsCompleted, "The change returned before the crash point.");
            _ = change.ContinueWith(static t => t.Exception, TaskScheduler.Default);
        }
        finally
        {
            await crashed.CrashAsync();
        }

        await using var restarted = await StartClusterAsync(deployment, configureSilo: silo => silo.Services.AddSingleton(new EntitlementCrashPoints(null)));
        var entitlement = restarted.Grains.GetGrain<IEntitlementGrain>(entitlementId);
        var stored = await entitlement.GetAsync();
        Assert.Equal(1, stored.Version);
        Assert.Equal(0, stored.PublishedVersion);

        // The retry: whether or not the first publish was accepted before the crash, the same id is published again.
        var retried = await entitlement.PublishPendingAsync(tenantId);
        Assert.NotNull(retried);
        Assert.Equal(first, retried.EventId);
        Assert.Equal(2, retried.MatchedWebhooks);
        Assert.Null(await entitlement.PublishPendingAsync(tenantId));
        Assert.Equal(2, await entitlement.ChangeAsync(tenantId, 6));
        foreach (var listenerId in listenerIds)
        {
            await WaitForDeliveryAsync(restarted, tenantId, listenerId, first, d => d.Status == DeliveryStatus.Succeeded);
            await WaitForDeliveryAsync(restarted, tenantId, listenerId, second, d => d.Status == DeliveryStatus.Succeeded);
        }

        // Publishing the same change once more is answered from storage with the same count, and queues nothing.
        var again = await restarted.SiloServices.GetRequiredService<IWebhookPublisher>()
            .PublishAcceptedAsync(tenantId, new WebhookEvent(EntitlementGrain.EventCode, entitlementId, "{}", first));
        Assert.Equal(first, again.EventId);
        Assert.Equal(retried.MatchedWebhooks, again.MatchedWebhooks);

        // Proving a negative takes a wait: long enough for a delivery queued again to be attempted (50 ms polls).
        // Each change reached each listener under one id. Killed before its publish, the first change was sent once
        // per listener; killed after it, a delivery already on the wire when the silo died may be sent again after the
        // restart (at-least-once), under the same id, which is what the listener de-duplicates on.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Equal([first, second], target.Requests.Select(IdOf).Distinct().Order(StringComparer.Ordinal));
        var firstSent = target.Requests.Count(r => IdOf(r) == first);
        if (crashAt == CrashPoint.AfterStateWrite)
        {
            Assert.Equal(2, firstSent);
        }
        else
        {
            Assert.InRange(firstSent, 2, 4);
        }

        Assert.Equal(2, target.Requests.Count(r => IdOf(r) == second));
        Assert.All(target.Requests.Where(r => IdOf(r) == first), r => Assert.Contains("\"seats\":5", Body(r), StringComparison.Ordinal));
    }

    private static string? IdOf(ReceivedRequest request) => request.Headers.TryGetValue("webhook-id", out var id) ? id : null;

    private static string Body(ReceivedRequest request) => System.Text.Encoding.UTF8.GetString(request.Body);
}
