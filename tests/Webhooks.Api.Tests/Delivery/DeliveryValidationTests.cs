using System.Net;
using Webhooks.Api.Tests.Infrastructure;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>Malformed publishing and delivery-log requests get a 4xx problem body, and a rejected event is delivered to nobody.</summary>
public sealed class DeliveryValidationTests(DeliveryServer server) : ApiTest(server), IClassFixture<DeliveryServer>
{
    public static TheoryData<string, string[]> InvalidEvents => new()
    {
        { """{"eventCode":"no.such.code","resourceId":"ent_1"}""", ["eventCode"] },
        { """{"eventCode":"*","resourceId":"ent_1"}""", ["eventCode"] },
        { """{"resourceId":"ent_1"}""", ["eventCode"] },
        { """{"eventCode":"entitlement.created"}""", ["resourceId"] },
        { """{"eventCode":"entitlement.created","resourceId":"  "}""", ["resourceId"] },
        { """{"eventId":"has space","eventCode":"entitlement.created","resourceId":"ent_1"}""", ["eventId"] },
        { """{"eventId":"","eventCode":"entitlement.created","resourceId":"ent_1"}""", ["eventId"] },
        { $$"""{"eventId":"{{new string('e', 129)}}","eventCode":"entitlement.created","resourceId":"ent_1"}""", ["eventId"] },
        { """{"eventId":"a/b","eventCode":"nope","payload":{"x":1}}""", ["eventId", "eventCode", "resourceId"] },
    };

    public static TheoryData<string> UnparsableEvents => new()
    {
        "not json",
        """{"eventCode":"entitlement.created","resourceId":"ent_1""",
        """{"eventCode":5,"resourceId":"ent_1"}""",
        """{"eventCode":"entitlement.created","resourceId":["ent_1"]}""",
        "",
    };

    [Theory]
    [MemberData(nameof(InvalidEvents))]
    public async Task Publish_OfAnInvalidEvent_Returns422NamingTheFields_AndDeliversNothing(string json, string[] fields)
    {
        var (tenant, id) = await TenantWithListenerOnAllEventsAsync();

        using var response = await tenant.Client.PostAsync(DeliveryClient.EventsRoute, Json.Raw(json));

        await Problems.AssertValidationProblemAsync(response, fields);
        Assert.Equal(0, (await tenant.Client.DeliveriesAsync(id)).Int("elementsTotal"));
    }

    [Theory]
    [MemberData(nameof(UnparsableEvents))]
    public async Task Publish_OfABodyThatIsNotAnEvent_Returns400_AndDeliversNothing(string body)
    {
        var (tenant, id) = await TenantWithListenerOnAllEventsAsync();

        using var response = await tenant.Client.PostAsync(DeliveryClient.EventsRoute, Json.Raw(body));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(0, (await tenant.Client.DeliveriesAsync(id)).Int("elementsTotal"));
    }

    [Theory]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // an encoded surrogate
    [InlineData(new byte[] { 0xC0, 0xAF })] // an overlong '/'
    [InlineData(new byte[] { 0xFF })]
    public async Task Publish_WithAPayloadThatIsNotUtf8_Returns400_AndDeliversNothing(byte[] invalid)
    {
        var (tenant, id) = await TenantWithListenerOnAllEventsAsync();
        using var body = new ByteArrayContent([.. """{"eventCode":"entitlement.created","resourceId":"r","payload":{"note":"a"""u8, .. invalid, .. "\"}}"u8]);
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await tenant.Client.PostAsync(DeliveryClient.EventsRoute, body);

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "InvalidJson");
        Assert.Equal(0, (await tenant.Client.DeliveriesAsync(id)).Int("elementsTotal"));
    }

    [Fact]
    public async Task Publish_WithoutAKey_Returns401_AndAsTextReturns415()
    {
        using var anonymous = Server.CreateClient();
        var tenant = await Server.CreateTenantAsync("Content types");

        using var unauthorized = await anonymous.PostAsync(DeliveryClient.EventsRoute, DeliveryClient.Event("entitlement.created"));
        using var text = await tenant.Client.PostAsync(DeliveryClient.EventsRoute, Json.Raw("""{"eventCode":"entitlement.created","resourceId":"r"}""", "text/plain"));

        await Problems.AssertProblemAsync(unauthorized, HttpStatusCode.Unauthorized);
        await Problems.AssertProblemAsync(text, HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("?status=bogus", "status")]
    [InlineData("?status=1", "status")]
    [InlineData("?status=", "status")]
    [InlineData("?pageSize=0", "pageSize")]
    public async Task Deliveries_WithAnInvalidQuery_Returns422(string query, string field)
    {
        var (tenant, id) = await TenantWithListenerOnAllEventsAsync();

        using var response = await tenant.Client.GetAsync($"{Route}/{id}/deliveries{query}");

        await Problems.AssertValidationProblemAsync(response, field);
    }

    [Fact]
    public async Task Recover_WithoutSince_Returns422_AndWithABadSince_Returns400()
    {
        var (tenant, id) = await TenantWithListenerOnAllEventsAsync();

        using var missing = await tenant.Client.PostAsync($"{Route}/{id}/recover", Json.Raw("{}"));
        using var bad = await tenant.Client.PostAsync($"{Route}/{id}/recover", Json.Raw("""{"since":"yesterday"}"""));

        await Problems.AssertValidationProblemAsync(missing, "since");
        await Problems.AssertProblemAsync(bad, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Actions_OnAnUnknownListenerOrDelivery_Return404()
    {
        var (tenant, id) = await TenantWithListenerOnAllEventsAsync();
        var unknown = UnknownListenerId();

        foreach (var (method, path) in new[]
        {
            (HttpMethod.Post, $"{Route}/{unknown}/test"),
            (HttpMethod.Get, $"{Route}/{unknown}/deliveries"),
            (HttpMethod.Post, $"{Route}/{unknown}/deliveries/event_x/redeliver"),
            (HttpMethod.Post, $"{Route}/{unknown}/secret/rotate"),
            (HttpMethod.Post, $"{Route}/{unknown}/enable"),
            (HttpMethod.Post, $"{Route}/not-an-id/test"),
            (HttpMethod.Post, $"{Route}/{id}/deliveries/event_never_published/redeliver"),
        })
        {
            using var response = await tenant.Client.SendAsync(new HttpRequestMessage(method, path));
            await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "NotFound");
        }

        using var recover = await tenant.Client.PostAsync($"{Route}/{unknown}/recover", Json.Raw("""{"since":"2020-01-01T00:00:00Z"}"""));
        await Problems.AssertProblemAsync(recover, HttpStatusCode.NotFound, "NotFound");
    }

    [Fact]
    public async Task Deliveries_OfAPageWhoseOffsetOverflowsAnInt_IsEmpty()
    {
        var (tenant, id) = await TenantWithListenerOnAllEventsAsync();
        using var test = await tenant.Client.PostAsync($"{Route}/{id}/test", null);
        Assert.Equal(HttpStatusCode.NoContent, test.StatusCode);

        var page = await tenant.Client.DeliveriesAsync(id, "?pageNumber=2147483647&pageSize=20");

        Assert.Empty(page.GetProperty("items").EnumerateArray());
        Assert.Equal(1, page.Int("elementsTotal"));
    }

    private async Task<(TestTenant Tenant, string ListenerId)> TenantWithListenerOnAllEventsAsync()
    {
        var tenant = await Server.CreateTenantAsync("Validation");
        // Nothing is ever delivered here: a request that reached the queue would show in the log, which the tests read.
        var id = (await tenant.Client.CreateListenerAsync("https://hooks.example.com/never", "*")).String("id");
        return (tenant, id);
    }
}
