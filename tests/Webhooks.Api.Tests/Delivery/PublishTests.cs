using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>POST api/v1/events reaches exactly the matching listeners of the publishing tenant, and only once per event id.</summary>
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
        var xId = (await tenant.Client.CreateListenerAsync(x.Uri.ToString(), Created)).String("id");
        var starId = (await tenant.Client.CreateListenerAsync(star.Uri.ToString(), "*")).String("id");
        var yId = (await tenant.Client.CreateListenerAsync(y.Uri.ToString(), Updated)).String("id");
        var otherXId = (await other.Client.CreateListenerAsync(otherX.Uri.ToString(), Created)).String("id");

        var published = await tenant.Client.PublishAsync(Created, "ent_fan");

        Assert.StartsWith("event_", published.EventId, StringComparison.Ordinal);
        Assert.Equal(2, published.MatchedWebhooks);
        await x.WaitForAsync(published.EventId);
        await star.WaitForAsync(published.EventId);

        // 202 means the event is stored at every matching listener, so a listener without it in its log never gets it.
        Assert.Equal(0, (await tenant.Client.DeliveriesAsync(yId)).Int("elementsTotal"));
        Assert.Equal(0, (await other.Client.DeliveriesAsync(otherXId)).Int("elementsTotal"));

        // Markers each of them does match, published afterwards: once they are in, nothing else came.
        var yMarker = await tenant.Client.PublishAsync(Updated, "cus_marker");
        var otherMarker = await other.Client.PublishAsync(Created, "ent_marker");
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
        var firstId = (await tenant.Client.CreateListenerAsync(first.Uri.ToString(), Created)).String("id");
        await tenant.Client.CreateListenerAsync(second.Uri.ToString(), "*");
        var eventId = "order-7781:created";

        var published = await tenant.Client.PublishAsync(Created, "ent_once", new { seats = 1 }, eventId);
        await first.WaitForAsync(eventId);
        await second.WaitForAsync(eventId);
        // A listener added since would match a fresh publish, so a repeat that really published again would show.
        await tenant.Client.CreateListenerAsync(late.Uri.ToString(), Created);
        var republished = await tenant.Client.PublishAsync(Created, "ent_once", new { seats = 1 }, eventId);
        var marker = await tenant.Client.PublishAsync(Created, "ent_marker");

        Assert.Equal((eventId, 2), published);
        Assert.Equal(published, republished);
        await first.WaitForAsync(marker.EventId);
        await second.WaitForAsync(marker.EventId);
        Assert.Single(first.Of(eventId));
        Assert.Single(second.Of(eventId));
        await late.WaitForAsync(marker.EventId);
        Assert.Empty(late.Of(eventId));
        var log = await tenant.Client.DeliveriesAsync(firstId);
        Assert.Equal(2, log.Int("elementsTotal"));
    }

    [Fact]
    public async Task Publish_WithThePlatformKeyAndATenantHeader_PublishesForThatTenant()
    {
        await using var listener = await TestReceiver.StartAsync();
        var (mine, theirs) = (listener.Endpoint(), listener.Endpoint());
        var tenant = await Server.CreateTenantAsync("Published for");
        var bystander = await Server.CreateTenantAsync("Not published for");
        await tenant.Client.CreateListenerAsync(mine.Uri.ToString(), Created);
        var theirsId = (await bystander.Client.CreateListenerAsync(theirs.Uri.ToString(), Created)).String("id");
        using var platform = Server.CreateClient(ApiServer.PlatformKey, tenant.Id);

        var published = await platform.PublishAsync(Created, "ent_platform");

        Assert.Equal(1, published.MatchedWebhooks);
        var received = Assert.Single(await mine.WaitForAsync(published.EventId));
        Assert.Equal("ent_platform", received.Json.GetProperty("resourceId").GetString());
        Assert.Equal(0, (await bystander.Client.DeliveriesAsync(theirsId)).Int("elementsTotal"));
    }
}
