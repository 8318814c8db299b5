using System.Net;
using Webhooks.Api.Tests.Infrastructure;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Catalog;

/// <summary>A server whose deployment configures its own event catalog (here, Keygen-like codes).</summary>
public sealed class KeygenCatalogServer : ApiServer
{
    protected override IEnumerable<KeyValuePair<string, string>> AdditionalSettings() =>
    [
        new("Webhooks:EventTypes:0:Code", "license.created"),
        new("Webhooks:EventTypes:0:Type", "license"),
        new("Webhooks:EventTypes:0:Description", "A license was created."),
        new("Webhooks:EventTypes:1:Code", "machine.heartbeat.dead"),
        new("Webhooks:EventTypes:1:Type", "machine"),
        new("Webhooks:EventTypes:1:Description", "A machine stopped sending heartbeats."),
    ];
}

/// <summary>
/// The catalog is configurable per deployment, and a configured catalog replaces Zentitle's entirely; the dispatcher's
/// operational events follow it in every catalog.
/// </summary>
public sealed class ConfiguredCatalogTests(KeygenCatalogServer server) : ApiTest(server), IClassFixture<KeygenCatalogServer>
{
    [Fact]
    public async Task GetEventTypes_WithConfiguredCatalog_ReturnsExactlyThatCatalog_ThenTheOperationalEvents()
    {
        var tenant = await Server.CreateTenantAsync();

        using var response = await tenant.Client.GetAsync($"{Route}/events");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.ReadObjectAsync(response);
        Assert.Equal(5, body.Int("elementsTotal"));
        var items = body.GetProperty("items").EnumerateArray()
            .Select(i => (i.String("type"), i.String("code"), i.String("description")))
            .ToArray();
        Assert.Equal(
            [
                ("license", "license.created", "A license was created."),
                ("machine", "machine.heartbeat.dead", "A machine stopped sending heartbeats."),
            ],
            items.Take(2));
        Assert.Equal(["webhook.disabled", "webhook.enabled", "webhook.delivery.exhausted"], items.Skip(2).Select(i => i.Item2));
    }

    [Fact]
    public async Task Create_WithZentitleCode_Returns422WhenNotInConfiguredCatalog()
    {
        var tenant = await Server.CreateTenantAsync();

        using var response = await tenant.Client.PostAsync(Route, Body("https://hooks.example.com/z", "entitlement.created"));

        await Problems.AssertValidationProblemAsync(response, "subscriptions");
        Assert.Equal(0, (await tenant.Client.ListAsync()).Int("elementsTotal"));
    }

    [Fact]
    public async Task Create_WithConfiguredCode_Returns201()
    {
        var tenant = await Server.CreateTenantAsync();

        var created = await tenant.Client.CreateListenerAsync("https://hooks.example.com/k", "license.created");

        Assert.Equal(["license.created"], created.GetProperty("subscriptions").Strings());
    }

    [Fact]
    public async Task Create_WithWildcard_IsAcceptedUnderAnyCatalog()
    {
        var tenant = await Server.CreateTenantAsync();

        var created = await tenant.Client.CreateListenerAsync("https://hooks.example.com/all", "*");

        Assert.Equal(["*"], created.GetProperty("subscriptions").Strings());
    }

    [Fact]
    public async Task Update_ToZentitleCode_Returns422AndKeepsTheListener()
    {
        var tenant = await Server.CreateTenantAsync();
        var id = (await tenant.Client.CreateListenerAsync("https://hooks.example.com/k", "license.created")).String("id");

        using var response = await tenant.Client.PutAsync($"{Route}/{id}", Body("https://hooks.example.com/k", "entitlement.created"));

        await Problems.AssertValidationProblemAsync(response, "subscriptions");
        Assert.Equal(["license.created"], (await tenant.Client.GetListenerAsync(id)).GetProperty("subscriptions").Strings());
    }
}
