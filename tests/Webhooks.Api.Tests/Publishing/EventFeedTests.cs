using System.Net;
using System.Text.Json;
using Webhooks.Api.Tests.Delivery;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Api.Tests.Publishing;

/// <summary>
/// GET api/v1/events and GET api/v1/events/{eventId}: a tenant's accepted events in acceptance order, a page at a
/// time by cursor, filtered, its own only; one event with its delivery to each listener; bad queries are 400s.
/// </summary>
public sealed class EventFeedTests(DeliveryServer server) : ApiTest(server), IClassFixture<DeliveryServer>
{
    private const string Route = "api/v1/events";

    [Fact]
    public async Task Feed_ReturnsTheTenantsEventsInAcceptanceOrder_APageAtATime_UntilNothingMoreIsThere()
    {
        var tenant = await Server.CreateTenantAsync("Feed");
        var other = await Server.CreateTenantAsync("Other feed");
        var published = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            published.Add((await tenant.Client.PublishAsync("entitlement.created", $"ent_{i}", new { seats = i, note = "ünïcode \"quoted\"" })).EventId);
            await other.Client.PublishAsync("entitlement.created", $"other_{i}");
        }

        var first = await FeedAsync(tenant.Client, "?limit=2");
        var second = await FeedAsync(tenant.Client, $"?limit=2&after={first.String("next")}");
        var third = await FeedAsync(tenant.Client, $"?limit=2&after={second.String("next")}");

        Assert.Equal(published, Items(first).Concat(Items(second)).Concat(Items(third)).Select(e => e.String("eventId")));
        Assert.False(third.TryGetProperty("next", out _), "A page that reached the end has no next.");

        var event3 = Items(second)[1];
        Assert.Equal(("entitlement.created", "ent_3"), (event3.String("eventCode"), event3.String("resourceId")));
        Assert.Equal(3, event3.GetProperty("payload").GetProperty("seats").GetInt32());
        Assert.Equal("ünïcode \"quoted\"", event3.GetProperty("payload").GetProperty("note").GetString());
        Assert.True(event3.GetProperty("eventDate").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));

        // Any event's cursor continues right after it; one more published later is found from the last cursor.
        Assert.Equal([published[4]], Items(await FeedAsync(tenant.Client, $"?after={event3.String("cursor")}")).Select(e => e.String("eventId")));
        var last = Items(third)[^1].String("cursor");
        Assert.Empty(Items(await FeedAsync(tenant.Client, $"?after={last}")));
        var later = (await tenant.Client.PublishAsync("customer.created", "cus_1")).EventId;
        var resumed = await FeedAsync(tenant.Client, $"?after={last}");
        Assert.Equal([later], Items(resumed).Select(e => e.String("eventId")));
        Assert.False(resumed.TryGetProperty("next", out _));

        // The whole feed without a cursor starts at the oldest, and is the tenant's own.
        Assert.Equal([.. published, later], Items(await FeedAsync(tenant.Client, "")).Select(e => e.String("eventId")));
    }

    [Fact]
    public async Task Feed_FilteredByCodeOrResource_HoldsOnlyThose_InOrder()
    {
        var tenant = await Server.CreateTenantAsync("Filtered feed");
        var a1 = (await tenant.Client.PublishAsync("entitlement.created", "ent_a")).EventId;
        await tenant.Client.PublishAsync("customer.created", "cus_b");
        var a2 = (await tenant.Client.PublishAsync("entitlement.created", "ent_c")).EventId;
        var b2 = (await tenant.Client.PublishAsync("customer.created", "ent_a")).EventId;

        Assert.Equal([a1, a2], Items(await FeedAsync(tenant.Client, "?eventCode=entitlement.created")).Select(e => e.String("eventId")));
        Assert.Equal([a1, b2], Items(await FeedAsync(tenant.Client, "?resourceId=ent_a")).Select(e => e.String("eventId")));
        Assert.Equal([a1], Items(await FeedAsync(tenant.Client, "?resourceId=ent_a&eventCode=entitlement.created")).Select(e => e.String("eventId")));

        var page = await FeedAsync(tenant.Client, "?eventCode=entitlement.created&limit=1");
        Assert.Equal([a1], Items(page).Select(e => e.String("eventId")));
        Assert.Equal([a2], Items(await FeedAsync(tenant.Client, $"?eventCode=entitlement.created&limit=1&after={page.String("next")}")).Select(e => e.String("eventId")));
    }

    [Theory]
    [InlineData("?after=nonsense", "after")]
    [InlineData("?after=AAAAAAAAAAAAAAAAAAAAAA==", "after")]
    [InlineData("?after=AAAAAAAAAAAAAAAAAAAAAAA", "after")]
    [InlineData("?after=__________________8", "after")]
    [InlineData("?after=AAAAAAAAAAAAAAAAAAAAAB", "after")]
    [InlineData("?after=AAAAAAAAAAAAAAAAAAAA%2BA", "after")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=1001", "limit")]
    [InlineData("?limit=-5&after=x", "after", "limit")]
    [InlineData("?eventCode=&resourceId=", "eventCode", "resourceId")]
    public async Task Feed_WithABadCursorOrLimit_Is400_NamingTheParameter(string query, params string[] fields)
    {
        var tenant = await Server.CreateTenantAsync("Bad query");

        using var response = await tenant.Client.GetAsync(Route + query);

        var body = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "ValidationFailed");
        Assert.Equal(fields, body.GetProperty("validationErrors").EnumerateArray().Select(e => e.String("propertyName")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Feed_LimitsAtTheBounds_AreServed()
    {
        var tenant = await Server.CreateTenantAsync("Bounds");
        var published = (await tenant.Client.PublishAsync("entitlement.created")).EventId;

        Assert.Equal([published], Items(await FeedAsync(tenant.Client, "?limit=1")).Select(e => e.String("eventId")));
        Assert.Equal([published], Items(await FeedAsync(tenant.Client, "?limit=1000")).Select(e => e.String("eventId")));
    }

    [Fact]
    public async Task Event_ShowsItsDeliveryToEachListener_AndIsAnotherTenants404()
    {
        await using var listener = await TestReceiver.StartAsync();
        var (ok, failing) = (listener.Endpoint(200), listener.Endpoint(500, 500, 500));
        var tenant = await Server.CreateTenantAsync("Event details");
        var other = await Server.CreateTenantAsync("Event snooper");
        var okId = (await tenant.Client.CreateListenerAsync(ok.Uri.ToString(), "entitlement.created")).String("id");
        var failingId = (await tenant.Client.CreateListenerAsync(failing.Uri.ToString(), "*")).String("id");
        await tenant.Client.CreateListenerAsync(listener.Endpoint().Uri.ToString(), "customer.created"); // not matched
        var (eventId, matched) = await tenant.Client.PublishAsync("entitlement.created", "ent_9", new { seats = 9 });
        await tenant.Client.WaitForStatusAsync(okId, eventId, "succeeded");
        await tenant.Client.WaitForStatusAsync(failingId, eventId, "failed");

        using var response = await tenant.Client.GetAsync($"{Route}/{eventId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.ReadObjectAsync(response);
        Assert.Equal((eventId, "entitlement.created", "ent_9", 9), (body.String("eventId"), body.String("eventCode"), body.String("resourceId"), body.GetProperty("payload").GetProperty("seats").GetInt32()));
        Assert.Equal(2, matched);
        Assert.Equal(2, body.Int("matchedWebhooks"));
        Assert.True(body.GetProperty("acceptedAt").GetDateTimeOffset() >= body.GetProperty("eventDate").GetDateTimeOffset().AddSeconds(-1));
        var deliveries = body.GetProperty("deliveries").EnumerateArray()
            .Select(d => (d.String("webhookListenerId"), d.String("status"), d.Int("attempts")))
            .OrderBy(d => d.Item1 == okId ? 0 : 1);
        Assert.Equal([(okId, "succeeded", 1), (failingId, "failed", 3)], deliveries);

        // The cursor of the event continues the feed right after it.
        Assert.Equal(body.String("cursor"), Items(await FeedAsync(tenant.Client, "")).Single(e => e.String("eventId") == eventId).String("cursor"));

        using var foreign = await other.Client.GetAsync($"{Route}/{eventId}");
        await Problems.AssertProblemAsync(foreign, HttpStatusCode.NotFound, "NotFound");
        using var unknown = await tenant.Client.GetAsync($"{Route}/event_never_published");
        await Problems.AssertProblemAsync(unknown, HttpStatusCode.NotFound, "NotFound");
        using var tooLong = await tenant.Client.GetAsync($"{Route}/{new string('e', 300)}");
        await Problems.AssertProblemAsync(tooLong, HttpStatusCode.NotFound, "NotFound");
        Assert.DoesNotContain(Items(await FeedAsync(other.Client, "")), e => e.String("eventId") == eventId);
    }

    [Fact]
    public async Task Event_PublishedWithoutPayloadOrListeners_IsShownWithNullPayloadAndNoDeliveries()
    {
        var tenant = await Server.CreateTenantAsync("Quiet");
        var (eventId, matched) = await tenant.Client.PublishAsync("entitlement.created");

        using var response = await tenant.Client.GetAsync($"{Route}/{eventId}");

        var body = await Json.ReadObjectAsync(response);
        Assert.Equal(0, matched);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("payload").ValueKind);
        Assert.Equal(0, body.Int("matchedWebhooks"));
        Assert.Empty(body.GetProperty("deliveries").EnumerateArray());
    }

    private static async Task<JsonElement> FeedAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync(Route + query);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await Json.ReadObjectAsync(response);
    }

    private static JsonElement[] Items(JsonElement page) => [.. page.GetProperty("items").EnumerateArray()];
}
