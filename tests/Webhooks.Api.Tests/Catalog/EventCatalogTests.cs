using System.Net;
using System.Text.Json;
using Webhooks.Api.Tests.Infrastructure;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Catalog;

/// <summary>With no catalog configured, the deployment serves Zentitle's, so Zentitle clients work unchanged.</summary>
public sealed class EventCatalogTests(ApiServer server) : ApiTest(server), IClassFixture<ApiServer>
{
    private static readonly (string Code, string Type)[] ZentitleCatalog =
    [
        ("customer.created", "customer"),
        ("customer.updated", "customer"),
        ("entitlement.created", "entitlement"),
        ("entitlement.updated", "entitlement"),
        ("entitlement.activated", "entitlement"),
        ("entitlement.renewed", "entitlement"),
        ("entitlement.expired", "entitlement"),
        ("entitlement.expires1day", "entitlement"),
        ("entitlement.expires7days", "entitlement"),
        ("entitlement.expires30days", "entitlement"),
        ("entitlement.maintenance.expired", "entitlement"),
        ("entitlement.maintenance.expires1day", "entitlement"),
        ("entitlement.maintenance.expires7days", "entitlement"),
        ("entitlement.maintenance.expires30days", "entitlement"),
        ("entitlement.provision", "entitlement"),
        ("entitlement.seat.activated", "entitlement"),
        ("entitlement.seat.deactivated", "entitlement"),
        ("entitlement.usage.summary", "entitlement"),
        ("entitlement.group.created", "entitlementGroup"),
        ("entitlement.group.updated", "entitlementGroup"),
    ];

    // The dispatcher's own events about the tenant's listeners come after the platform's, in every catalog.
    private static readonly (string Code, string Type)[] OperationalCatalog =
    [
        ("webhook.disabled", "webhook"),
        ("webhook.enabled", "webhook"),
        ("webhook.delivery.exhausted", "webhook"),
    ];

    [Fact]
    public async Task GetEventTypes_ByDefault_ReturnsTheZentitleCatalog_ThenTheOperationalEvents()
    {
        var tenant = await Server.CreateTenantAsync();

        using var response = await tenant.Client.GetAsync($"{Route}/events");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.ReadObjectAsync(response);
        var items = body.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(23, body.Int("elementsTotal"));
        Assert.Equal(23, items.Length);
        Assert.Equal(
            ZentitleCatalog.OrderBy(e => e.Code, StringComparer.Ordinal),
            items.Take(20).Select(i => (i.String("code"), i.String("type"))).OrderBy(e => e.Item1, StringComparer.Ordinal));
        Assert.Equal(OperationalCatalog, items.Skip(20).Select(i => (i.String("code"), i.String("type"))));
        Assert.All(items, item => Assert.False(string.IsNullOrWhiteSpace(item.String("description"))));
    }

    [Fact]
    public async Task GetEventTypes_Items_HaveTypeCodeAndDescription()
    {
        var tenant = await Server.CreateTenantAsync();

        using var response = await tenant.Client.GetAsync($"{Route}/events");
        var items = (await Json.ReadObjectAsync(response)).GetProperty("items").EnumerateArray().ToArray();

        var seat = Assert.Single(items, i => i.String("code") == "entitlement.seat.activated");
        Assert.Equal("entitlement", seat.String("type"));
        var group = Assert.Single(items, i => i.String("code") == "entitlement.group.created");
        Assert.Equal("entitlementGroup", group.String("type"));
        Assert.All(items, item => Assert.Equal(JsonValueKind.String, item.GetProperty("description").ValueKind));
    }

    [Fact]
    public async Task Create_WithEveryCatalogCode_IsAccepted()
    {
        var tenant = await Server.CreateTenantAsync();
        var codes = ZentitleCatalog.Select(e => e.Code).ToArray();

        var created = await tenant.Client.CreateListenerAsync("https://hooks.example.com/every", codes);

        Assert.Equal(codes, created.GetProperty("subscriptions").Strings());
    }

    [Fact]
    public async Task Create_WithCodeOfAnotherPlatform_Returns422()
    {
        var tenant = await Server.CreateTenantAsync();

        using var response = await tenant.Client.PostAsync(Route, Body("https://hooks.example.com/k", "license.created"));

        await Problems.AssertValidationProblemAsync(response, "subscriptions");
    }

    [Fact]
    public async Task Create_SubscribingToTheOperationalEventsByName_IsAccepted()
    {
        var tenant = await Server.CreateTenantAsync();
        var codes = OperationalCatalog.Select(e => e.Code).ToArray();

        var created = await tenant.Client.CreateListenerAsync("https://hooks.example.com/operations", codes);

        Assert.Equal(codes, created.GetProperty("subscriptions").Strings());
    }

    [Theory]
    [InlineData("webhook.disabled")]
    [InlineData("webhook.enabled")]
    [InlineData("webhook.delivery.exhausted")]
    public async Task Publish_OfAnOperationalEvent_Returns422_ForOnlyTheDispatcherPublishesThem(string code)
    {
        var tenant = await Server.CreateTenantAsync();

        using var response = await tenant.Client.PostAsync(Delivery.DeliveryClient.EventsRoute, Delivery.DeliveryClient.Event(code, "wh_1", "{}"));

        var body = await Problems.AssertValidationProblemAsync(response, "eventCode");
        Assert.Contains("published by the dispatcher itself", body.ToString(), StringComparison.Ordinal);
    }
}
