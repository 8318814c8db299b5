using System.Net;
using System.Net.Http.Json;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Client.Generated.Models;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Tenants;

/// <summary>The platform's <c>api/v1/tenants</c>: creating a tenant hands out a key that works at once.</summary>
public sealed class TenantsApiTests(ApiServer server) : ApiTest(server), IClassFixture<ApiServer>
{
    private const string TenantsRoute = "api/v1/tenants";

    [Fact]
    public async Task CreateTenant_WithPlatformKey_Returns201WithIdNameAndApiKey()
    {
        using var response = await Server.Platform.PostAsJsonAsync(TenantsRoute, new { name = "Acme Software" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await Json.ReadObjectAsync(response);
        var id = body.String("id");
        Assert.Matches(TenantId(), id);
        Assert.Equal("Acme Software", body.String("name"));
        Assert.StartsWith($"wk.{id}.", body.String("apiKey"), StringComparison.Ordinal);
        Assert.Equal($"/{TenantsRoute}/{id}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task CreateTenant_ReturnedKey_AuthenticatesAsThatTenant()
    {
        var created = await Server.CreateApiClient().Api.V1.Tenants.PostAsync(new CreateTenantRequest { Name = "Keyed" });
        Assert.Matches(TenantId(), created?.Id);
        Assert.Equal("Keyed", created?.Name);
        var client = Server.CreateApiClient(created!.ApiKey!);

        var page = await client.Api.V1.Account.Webhooks.GetAsync();
        var listener = await client.CreateListenerAsync();

        Assert.Equal(0, page?.ElementsTotal);
        var platform = Server.CreateApiClient(ApiServer.PlatformKey, created.Id);
        Assert.Equal([listener.Id], (await platform.Api.V1.Account.Webhooks.GetAsync())?.Items?.Select(l => l.Id));
        var tenant = await Server.CreateApiClient().Api.V1.Tenants[created.Id].GetAsync();
        Assert.Equal(("Keyed", created.CreatedAt), (tenant?.Name, tenant?.CreatedAt));
    }

    [Fact]
    public async Task CreateTenant_Twice_IssuesDistinctIdsAndKeys()
    {
        var first = await Server.CreateTenantAsync();
        var second = await Server.CreateTenantAsync();

        Assert.NotEqual(first.Id, second.Id);
        Assert.NotEqual(first.ApiKey, second.ApiKey);
    }

    [Theory]
    [InlineData("""{"name":""}""")]
    [InlineData("""{"name":"   "}""")]
    [InlineData("""{"name":null}""")]
    [InlineData("{}")]
    public async Task CreateTenant_WithoutName_Returns422WithNameError(string json)
    {
        using var response = await Server.Platform.PostAsync(TenantsRoute, Json.Raw(json));

        await Problems.AssertValidationProblemAsync(response, "name");
    }

    [Fact]
    public async Task CreateTenant_WithNameOver200Characters_Returns422()
    {
        using var response = await Server.Platform.PostAsJsonAsync(TenantsRoute, new { name = new string('n', 201) });

        await Problems.AssertValidationProblemAsync(response, "name");
    }

    [Fact]
    public async Task CreateTenant_WithUnparsableJson_Returns400()
    {
        using var response = await Server.Platform.PostAsync(TenantsRoute, Json.Raw("{\"name\":"));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task CreateTenant_WithTenantKey_Returns403()
    {
        var tenant = await Server.CreateTenantAsync();

        using var response = await tenant.Client.PostAsJsonAsync(TenantsRoute, new { name = "Sneaky" });

        await Problems.AssertProblemAsync(response, HttpStatusCode.Forbidden, "Forbidden");
    }

    [Fact]
    public async Task CreateTenant_WithoutAuthorization_Returns401()
    {
        using var client = Server.CreateClient();

        using var response = await client.PostAsJsonAsync(TenantsRoute, new { name = "Anonymous" });

        await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "Unauthorized");
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task GetTenant_WithPlatformKey_Returns200()
    {
        var tenant = await Server.CreateTenantAsync("Lookup Ltd");

        using var response = await Server.Platform.GetAsync($"{TenantsRoute}/{tenant.Id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.ReadObjectAsync(response);
        Assert.Equal(tenant.Id, body.String("id"));
        Assert.Equal("Lookup Ltd", body.String("name"));
        Assert.False(body.TryGetProperty("apiKey", out _));
    }

    [Theory]
    [InlineData("t_AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("nope")]
    public async Task GetTenant_Unknown_Returns404(string id)
    {
        using var response = await Server.Platform.GetAsync($"{TenantsRoute}/{id}");

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "NotFound");
    }
}
