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

    [Fact]
    public async Task GetEventTypes_ByDefault_ReturnsTheZentitleCatalog()
    {
        var tenant = await Server.CreateTenantAsync();

        using var response = await tenant.Client.GetAsync($"{Route}/events");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.ReadObjectAsync(response);
        var items = body.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(20, body.Int("elementsTotal"));
        Assert.Equal(20, items.Length);
        Assert.Equal(
            ZentitleCatalog.OrderBy(e => e.Code, StringComparer.Ordinal),
            items.Select(i => (i.String("code"), i.String("type"))).OrderBy(e => e.Item1, StringComparer.Ordinal));
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
}
