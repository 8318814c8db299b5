using System.Text.Json;
using Webhooks.Abstractions;
using Webhooks.Abstractions.Catalog;
using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Listeners;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.Delivery;

/// <summary>
/// What happens to a listener (disabled, enabled, a delivery that used up its retries) is published as an operational
/// event to the tenant's listeners that subscribe to it by name: never to the listener concerned, never through <c>*</c>.
/// </summary>
public sealed class OperationalEventTests : GrainDeliveryTests
{
    private static readonly string[] Operational = [OperationalEventTypes.Disabled, OperationalEventTypes.Enabled, OperationalEventTypes.DeliveryExhausted];

    [Fact]
    public async Task ListenerChanges_ArePublishedToTheListenersThatAskForThem_ByName_AndToNoOtherListener()
    {
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();
        // No circuit breaker: the failing listeners' failures must reach the end of the retry schedule, not hold it.
        await using var cluster = await StartClusterAsync(deployment, o => o.CircuitBreakerFailures = 0);
        var tenantId = ResourceIds.NewTenantId();
        Assert.NotNull(await cluster.Tenant(tenantId).CreateAsync("Operations Ltd"));
        var router = cluster.Router(tenantId);
        async Task<string> AddAsync(Uri uri, params string[] subscriptions) =>
            (await router.AddAsync(new ListenerDefinition(uri.ToString(), [.. subscriptions], null)))!.Listener.Id;

        var watcher = await AddAsync(target.Text("watching"), Operational);
        var everything = await AddAsync(target.Status(200), "*");
        // The failing ones subscribe to the operational events too: they must never get their own.
        var exhausted = await AddAsync(target.Status(503), "*", OperationalEventTypes.DeliveryExhausted);
        var gone = await AddAsync(target.Status(410), ["*", .. Operational]);

        var published = (await PublishAsync(cluster, tenantId)).EventId;

        // 503 three times (the test retry schedule) uses up the delivery; 410 disables its listener at once.
        var failed = await WaitForEventAsync(target, "/text", OperationalEventTypes.DeliveryExhausted, exhausted, published);
        Assert.Equal("RetriesExhausted", failed.Payload.GetProperty("reason").GetString());
        Assert.Equal(503, failed.Payload.GetProperty("lastStatusCode").GetInt32());
        Assert.Equal(published, failed.Payload.GetProperty("eventId").GetString());
        Assert.Equal(exhausted, failed.Payload.GetProperty("webhookId").GetString());
        var disabled = await WaitForEventAsync(target, "/text", OperationalEventTypes.Disabled, gone);
        Assert.Equal("Gone", disabled.Payload.GetProperty("reason").GetString());
        Assert.Equal(410, disabled.Payload.GetProperty("lastStatusCode").GetInt32());

        Assert.NotNull(await cluster.Listener(gone).EnableAsync(tenantId));
        var enabled = await WaitForEventAsync(target, "/text", OperationalEventTypes.Enabled, gone);
        Assert.Equal("EnabledByUser", enabled.Payload.GetProperty("reason").GetString());
        Assert.NotNull(await cluster.Listener(everything).DisableAsync(tenantId));
        var byHand = await WaitForEventAsync(target, "/text", OperationalEventTypes.Disabled, everything);
        Assert.Equal("DisabledByUser", byHand.Payload.GetProperty("reason").GetString());

        // Enabling replays the parked event, which 410 answers again: disabled again, and announced again.
        await WaitUntilAsync(
            () => Events(target, "/text").Count(e => e.EventCode == OperationalEventTypes.Disabled && e.ResourceId == gone) == 2,
            "the second disable is announced too");

        // The exhaustion was announced once, and only for the platform's event: the operational events the failing
        // listener could not take are not announced in turn. The listener on *, and the failing ones about
        // themselves, got none.
        var exhaustions = Events(target, "/text").Where(e => e.EventCode == OperationalEventTypes.DeliveryExhausted).ToList();
        Assert.Equal(published, Assert.Single(exhaustions).Payload.GetProperty("eventId").GetString());
        Assert.DoesNotContain(Events(target, "/status/200"), e => Operational.Contains(e.EventCode));
        Assert.DoesNotContain(Events(target, "/status/503"), e => e.ResourceId == exhausted && Operational.Contains(e.EventCode));
        Assert.DoesNotContain(Events(target, "/status/410"), e => e.ResourceId == gone && Operational.Contains(e.EventCode));
    }

    [Fact]
    public async Task TestDelivery_ThatFails_IsNotAnnouncedAsExhausted()
    {
        using var deployment = new TestDeployment();
        await using var target = await TestReceiver.StartAsync();
        await using var cluster = await StartClusterAsync(deployment);
        var (tenantId, ids) = await TenantWithListenersAsync(cluster, target.Text("watching"), target.Status(500));
        Assert.NotNull(await cluster.Router(tenantId).UpdateAsync(ids[0], new ListenerDefinition(target.Text("watching").ToString(), [.. Operational], null)));

        var testEvent = await cluster.Listener(ids[1]).TestAsync(tenantId);
        await WaitForDeliveryAsync(cluster, tenantId, ids[1], testEvent!, d => d.Status == DeliveryStatus.Failed);
        var published = (await PublishAsync(cluster, tenantId)).EventId; // a real one, whose exhaustion is announced

        var announced = await WaitForEventAsync(target, "/text", OperationalEventTypes.DeliveryExhausted, ids[1]);
        Assert.Equal(published, announced.Payload.GetProperty("eventId").GetString());
        Assert.Single(Events(target, "/text"));
    }

    private static async Task<DeliveredEvent> WaitForEventAsync(TestReceiver target, string path, string eventCode, string resourceId, string? aboutEvent = null)
    {
        DeliveredEvent? found = null;
        await WaitUntilAsync(
            () => (found = Events(target, path).FirstOrDefault(e => e.EventCode == eventCode && e.ResourceId == resourceId
                && (aboutEvent is null || e.Payload.GetProperty("eventId").GetString() == aboutEvent))) is not null,
            $"{path} receives {eventCode} about {resourceId}");
        return found!;
    }

    private static List<DeliveredEvent> Events(TestReceiver target, string path) =>
    [
        .. target.Requests.Where(r => r.Path == path).Select(r => JsonDocument.Parse(r.Body).RootElement)
            .Select(b => new DeliveredEvent(b.GetProperty("eventId").GetString()!, b.GetProperty("eventCode").GetString()!, b.GetProperty("resourceId").GetString()!, b.GetProperty("payload")))
            .DistinctBy(e => e.EventId),
    ];

    private sealed record DeliveredEvent(string EventId, string EventCode, string ResourceId, JsonElement Payload);
}
