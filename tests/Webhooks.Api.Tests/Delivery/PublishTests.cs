using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>POST api/v1/events (through the typed client) reaches exactly the matching listeners of the publishing tenant, and only once per event id.</summary>
public sealed class PublishTests(DeliveryServer server) : ApiTest(server), IClassFixture<DeliveryServer>
{
    private const string Created = "entitlement.created";
    private const string Updated = "customer.updated";

    [Fact]
    public async Task Publish_FansOutToExactlyTheListenersOfThatCodeAndStar_OfThatTenantOnly()
    {
        await using var listener = await TestReceiver.StartAsync();
        var (x, star, y, otherX) = (listener.Endpoint(), listener.Endpoint(), listener.Endpoint(), listener.Endpoint());
        var tenant = await Server.CreateTenantAsync("Fan-out");
        var other = await Server.CreateTenantAsync("Bystander");
        var xId = (await tenant.Api.CreateListenerAsync(x.Uri.ToString(), Created)).Id!;
        var starId = (await tenant.Api.CreateListenerAsync(star.Uri.ToString(), "*")).Id!;
        var yId = (await tenant.Api.CreateListenerAsync(y.Uri.ToString(), Updated)).Id!;
        var otherXId = (await other.Api.CreateListenerAsync(otherX.Uri.ToString(), Created)).Id!;

        var published = await tenant.Api.PublishAsync(Created, "ent_fan");

        Assert.StartsWith("event_", published.EventId, StringComparison.Ordinal);
        Assert.Equal(2, published.MatchedWebhooks);
        await x.WaitForAsync(published.EventId);
        await star.WaitForAsync(published.EventId);

        // 202 means the event is stored at every matching listener, so a listener without it in its log never gets it.
        Assert.Equal(0, (await tenant.Api.DeliveriesAsync(yId)).ElementsTotal);
        Assert.Equal(0, (await other.Api.DeliveriesAsync(otherXId)).ElementsTotal);

        // Markers each of them does match, published afterwards: once they are in, nothing else came.
        var yMarker = await tenant.Api.PublishAsync(Updated, "cus_marker");
        var otherMarker = await other.Api.PublishAsync(Created, "ent_marker");
        Assert.Equal(2, yMarker.MatchedWebhooks);
        Assert.Equal(1, otherMarker.MatchedWebhooks);
        await y.WaitForAsync(yMarker.EventId);
        await otherX.WaitForAsync(otherMarker.EventId);
        await star.WaitForAsync(yMarker.EventId);
        await tenant.Client.WaitForStatusAsync(xId, published.EventId, "succeeded");
        await tenant.Client.WaitForStatusAsync(starId, published.EventId, "succeeded");

        Assert.Equal([published.EventId], x.Received.Select(r => r.EventId));
        Assert.Equal(new[] { published.EventId, yMarker.EventId }.Order(StringComparer.Ordinal), star.Received.Select(r => r.EventId).Order(StringComparer.Ordinal));
        Assert.Equal([yMarker.EventId], y.Received.Select(r => r.EventId));
        Assert.Equal([otherMarker.EventId], otherX.Received.Select(r => r.EventId));
    }

    [Fact]
    public async Task Publish_OfAnEventIdAlreadyAccepted_ReturnsTheSameResultAndDeliversNothingAgain()
    {
        await using var listener = await TestReceiver.StartAsync();
        var (first, second, late) = (listener.Endpoint(), listener.Endpoint(), listener.Endpoint());
        var tenant = await Server.CreateTenantAsync("Idempotent");
        var firstId = (await tenant.Api.CreateListenerAsync(first.Uri.ToString(), Created)).Id!;
        await tenant.Api.CreateListenerAsync(second.Uri.ToString(), "*");
        var eventId = "order-7781:created";

        var published = await tenant.Api.PublishAsync(Created, "ent_once", new { seats = 1 }, eventId);
        await first.WaitForAsync(eventId);
        await second.WaitForAsync(eventId);
        // A listener added since would match a fresh publish, so a repeat that really published again would show.
        await tenant.Api.CreateListenerAsync(late.Uri.ToString(), Created);
        var republished = await tenant.Api.PublishAsync(Created, "ent_once", new { seats = 1 }, eventId);
        var marker = await tenant.Api.PublishAsync(Created, "ent_marker");

        Assert.Equal((eventId, 2), published);
        Assert.Equal(published, republished);
        await first.WaitForAsync(marker.EventId);
        await second.WaitForAsync(marker.EventId);
        Assert.Equal(1, Assert.Single(first.Of(eventId)).Json.GetProperty("payload").GetProperty("seats").GetInt32());
        Assert.Single(second.Of(eventId));
        await late.WaitForAsync(marker.EventId);
        Assert.Empty(late.Of(eventId));
        var log = await tenant.Api.DeliveriesAsync(firstId);
        Assert.Equal(2, log.ElementsTotal);
        Assert.All(log.Items!, delivery => Assert.Equal(Created, delivery.EventCode));
    }

    [Fact]
    public async Task Publish_WithThePlatformKeyAndATenantHeader_PublishesForThatTenant()
    {
        await using var listener = await TestReceiver.StartAsync();
        var (mine, theirs) = (listener.Endpoint(), listener.Endpoint());
        var tenant = await Server.CreateTenantAsync("Published for");
        var bystander = await Server.CreateTenantAsync("Not published for");
        await tenant.Api.CreateListenerAsync(mine.Uri.ToString(), Created);
        var theirsId = (await bystander.Api.CreateListenerAsync(theirs.Uri.ToString(), Created)).Id!;
        var platform = Server.CreateApiClient(ApiServer.PlatformKey, tenant.Id);

        var published = await platform.PublishAsync(Created, "ent_platform");

        Assert.Equal(1, published.MatchedWebhooks);
        var received = Assert.Single(await mine.WaitForAsync(published.EventId));
        Assert.Equal("ent_platform", received.Json.GetProperty("resourceId").GetString());
        Assert.Equal(0, (await bystander.Api.DeliveriesAsync(theirsId)).ElementsTotal);
    }
}
