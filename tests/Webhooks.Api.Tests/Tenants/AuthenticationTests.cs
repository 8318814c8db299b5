using System.Net;
using System.Net.Http.Headers;
using Webhooks.Api.Tests.Infrastructure;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Tenants;

/// <summary>Who may call what: tenant keys act on their own tenant, the platform key on the tenant it names.</summary>
public sealed class AuthenticationTests(ApiServer server) : ApiTest(server), IClassFixture<ApiServer>
{
    public static TheoryData<string, string> TenantScopedEndpoints => new()
    {
        { "GET", Route },
        { "POST", Route },
        { "GET", $"{Route}/events" },
        { "GET", $"{Route}/wh_AAAAAAAAAAAAAAAAAAAAAA" },
        { "PUT", $"{Route}/wh_AAAAAAAAAAAAAAAAAAAAAA" },
        { "DELETE", $"{Route}/wh_AAAAAAAAAAAAAAAAAAAAAA" },
    };

    [Theory]
    [MemberData(nameof(TenantScopedEndpoints))]
    public async Task Request_WithoutAuthorization_Returns401WithBearerChallenge(string method, string path)
    {
        using var client = Server.CreateClient();

        using var response = await client.SendAsync(Request(method, path));

        await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "Unauthorized");
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("wk.garbage")]
    [InlineData("dev-platform-key")]
    [InlineData("test-platform-key-but-longer")]
    [InlineData("wk.t_AAAAAAAAAAAAAAAAAAAAAA.key.secret")]
    public async Task Request_WithInvalidKey_Returns401(string key)
    {
        using var client = Server.CreateClient(key);

        using var response = await client.GetAsync(Route);

        await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task Request_WithWellFormedKeyOfNonExistentTenant_Returns401()
    {
        var real = await Server.CreateTenantAsync();
        var parts = real.ApiKey.Split('.');
        var otherTenant = "t_" + UnknownListenerId()["wh_".Length..];
        using var client = Server.CreateClient($"{parts[0]}.{otherTenant}.{parts[2]}.{parts[3]}");

        using var response = await client.GetAsync(Route);

        await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Request_WithWrongSecretOfExistingTenant_Returns401()
    {
        var tenant = await Server.CreateTenantAsync();
        var parts = tenant.ApiKey.Split('.');
        using var client = Server.CreateClient($"{parts[0]}.{parts[1]}.{parts[2]}.{new string('A', parts[3].Length)}");

        using var response = await client.GetAsync(Route);

        await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Request_WithBasicScheme_Returns401()
    {
        var tenant = await Server.CreateTenantAsync();
        using var client = Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Route);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", tenant.ApiKey);

        using var response = await client.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(TenantScopedEndpoints))]
    public async Task Request_WithPlatformKeyAndNoTenantHeader_Returns400(string method, string path)
    {
        using var response = await Server.Platform.SendAsync(Request(method, path));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "TenantRequired");
    }

    [Theory]
    [InlineData("t_AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("not-a-tenant")]
    public async Task Request_WithPlatformKeyAndUnknownTenant_Returns404(string tenantId)
    {
        using var client = Server.CreateClient(ApiServer.PlatformKey, tenantId);

        using var response = await client.GetAsync(Route);

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "TenantNotFound");
    }

    [Fact]
    public async Task Create_WithPlatformKeyAndTenantHeader_ActsOnThatTenant()
    {
        var tenant = await Server.CreateTenantAsync();
        using var platform = Server.CreateClient(ApiServer.PlatformKey, tenant.Id);

        var created = await platform.CreateListenerAsync("https://hooks.example.com/by-platform", "customer.created");

        var seenByTenant = await tenant.Client.ListAsync();
        Assert.Equal([created.String("id")], seenByTenant.Ids());
        Assert.Equal("https://hooks.example.com/by-platform", (await tenant.Client.GetListenerAsync(created.String("id"))).String("uri"));
    }

    [Fact]
    public async Task Requests_WithPlatformKeyAndTenantHeader_ManageThatTenantsListeners()
    {
        var tenant = await Server.CreateTenantAsync();
        var id = (await tenant.Client.CreateListenerAsync()).String("id");
        using var platform = Server.CreateClient(ApiServer.PlatformKey, tenant.Id);

        Assert.Equal([id], (await platform.ListAsync()).Ids());
        Assert.Equal(id, (await platform.GetListenerAsync(id)).String("id"));
        using var update = await platform.PutAsync($"{Route}/{id}", Body("https://hooks.example.com/platform-edit", "*"));
        Assert.Equal(HttpStatusCode.NoContent, update.StatusCode);
        Assert.Equal("https://hooks.example.com/platform-edit", (await tenant.Client.GetListenerAsync(id)).String("uri"));
        using var delete = await platform.DeleteAsync($"{Route}/{id}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(0, (await tenant.Client.ListAsync()).Int("elementsTotal"));
    }

    [Fact]
    public async Task Request_WithTenantKeyAndMismatchingTenantHeader_Returns403()
    {
        var tenant = await Server.CreateTenantAsync();
        var other = await Server.CreateTenantAsync("Other");
        using var client = Server.CreateClient(tenant.ApiKey, other.Id);

        using var list = await client.GetAsync(Route);
        using var create = await client.PostAsync(Route, Body("https://hooks.example.com/a", "*"));

        await Problems.AssertProblemAsync(list, HttpStatusCode.Forbidden, "Forbidden");
        await Problems.AssertProblemAsync(create, HttpStatusCode.Forbidden, "Forbidden");
        Assert.Equal(0, (await tenant.Client.ListAsync()).Int("elementsTotal"));
        Assert.Equal(0, (await other.Client.ListAsync()).Int("elementsTotal"));
    }

    [Fact]
    public async Task Request_WithTenantKeyAndItsOwnTenantHeader_Succeeds()
    {
        var tenant = await Server.CreateTenantAsync();
        using var client = Server.CreateClient(tenant.ApiKey, tenant.Id);

        var created = await client.CreateListenerAsync();

        Assert.Equal([created.String("id")], (await tenant.Client.ListAsync()).Ids());
    }

    private static HttpRequestMessage Request(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT")
        {
            request.Content = Body("https://hooks.example.com/a", "*");
        }

        return request;
    }
}
