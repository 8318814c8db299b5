using System.Net;
using System.Text.Json;
using Webhooks.Api.Tests.Delivery;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Client.Generated.Models;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Tenants;

/// <summary>The platform's <c>api/v1/tenants/{tenantId}/keys</c>: issue, list and revoke a tenant's API keys.</summary>
public sealed class ApiKeysTests(ApiServer server) : ApiTest(server), IClassFixture<ApiServer>
{
    [Fact]
    public async Task CreateKey_WithAName_Returns201WithTheFullKeyOnce_AndTheKeyWorks()
    {
        var tenant = await Server.CreateTenantAsync();

        var key = await Server.CreateApiClient().Api.V1.Tenants[tenant.Id].Keys.PostAsync(new CreateApiKeyRequest { Name = "ci pipeline" });

        Assert.NotNull(key);
        var (id, apiKey) = (key.Id!, key.ApiKey!);
        Assert.Equal("ci pipeline", key.Name);
        Assert.Equal($"wk.{tenant.Id}.{id}", key.Prefix);
        Assert.StartsWith(key.Prefix + ".", apiKey, StringComparison.Ordinal);
        Assert.Equal(4, apiKey.Split('.').Length);
        Assert.NotNull(key.CreatedAt);
        var created = await Server.CreateApiClient(apiKey).CreateListenerAsync();
        Assert.Equal([created.Id], (await tenant.Api.Api.V1.Account.Webhooks.GetAsync())?.Items?.Select(l => l.Id));
        var listed = await Server.CreateApiClient().Api.V1.Tenants[tenant.Id].Keys.GetAsync();
        Assert.Equal([tenant.ApiKey.Split('.')[2], id], listed?.Items?.Select(k => k.Id));
    }

    [Fact]
    public async Task CreateKey_WithoutABody_Returns201WithNoName()
    {
        var tenant = await Server.CreateTenantAsync();

        using var response = await Server.Platform.PostAsync(KeysRoute(tenant.Id), null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await Json.ReadObjectAsync(response);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("name").ValueKind);
        Assert.StartsWith($"wk.{tenant.Id}.", body.String("apiKey"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"name":"   "}""")]
    [InlineData("""{"name":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}""")]
    public async Task CreateKey_WithABadName_Returns422(string json)
    {
        var tenant = await Server.CreateTenantAsync();

        using var response = await Server.Platform.PostAsync(KeysRoute(tenant.Id), Json.Raw(json));

        await Problems.AssertValidationProblemAsync(response, "name");
        Assert.Single((await ListKeysAsync(tenant.Id)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task ListKeys_ShowsIdNamePrefixAndDate_NeverASecretOrHash()
    {
        var tenant = await Server.CreateTenantAsync();
        var second = await CreateKeyAsync(tenant.Id, "second");

        using var response = await Server.Platform.GetAsync(KeysRoute(tenant.Id));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var items = (await Json.ReadObjectAsync(response)).GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(2, items.Length);
        Assert.Equal([tenant.ApiKey.Split('.')[2], second.Split('.')[2]], items.Select(i => i.String("id")));
        Assert.All(items, item =>
        {
            Assert.Equal(["createdAt", "id", "name", "prefix"], item.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal($"wk.{tenant.Id}.{item.String("id")}", item.String("prefix"));
        });
        Assert.DoesNotContain(tenant.ApiKey.Split('.')[3], text, StringComparison.Ordinal);
        Assert.DoesNotContain(second.Split('.')[3], text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeKey_Returns204_ThenThatKeyGets401Everywhere_AndTheTenantsOtherKeyStillWorks()
    {
        var tenant = await Server.CreateTenantAsync();
        var other = await CreateKeyAsync(tenant.Id, "other");
        var listener = (await tenant.Client.CreateListenerAsync()).String("id");
        Assert.Equal(HttpStatusCode.OK, (await tenant.Client.GetAsync(Route)).StatusCode); // warm: any cache would hold it now

        await Server.CreateApiClient().Api.V1.Tenants[tenant.Id].Keys[tenant.ApiKey.Split('.')[2]].DeleteAsync();

        foreach (var (method, path) in new[] { ("GET", Route), ("GET", $"{Route}/{listener}"), ("DELETE", $"{Route}/{listener}"), ("POST", "api/v1/events"), ("GET", "api/v1/account/credentials") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? DeliveryClient.Event("entitlement.created") : null };
            using var refused = await tenant.Client.SendAsync(request);
            await Problems.AssertProblemAsync(refused, HttpStatusCode.Unauthorized, "Unauthorized");
        }

        using var stillValid = Server.CreateClient(other);
        Assert.Equal([listener], (await stillValid.ListAsync()).Ids());
        Assert.Equal([other.Split('.')[2]], (await ListKeysAsync(tenant.Id)).GetProperty("items").EnumerateArray().Select(i => i.String("id")));
    }

    [Fact]
    public async Task RevokeKey_Twice_Returns404TheSecondTime()
    {
        var tenant = await Server.CreateTenantAsync();
        var keyId = (await CreateKeyAsync(tenant.Id, null)).Split('.')[2];

        using var first = await Server.Platform.DeleteAsync($"{KeysRoute(tenant.Id)}/{keyId}");
        using var second = await Server.Platform.DeleteAsync($"{KeysRoute(tenant.Id)}/{keyId}");

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        await Problems.AssertProblemAsync(second, HttpStatusCode.NotFound, "NotFound");
    }

    [Theory]
    [InlineData("t_AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("not-a-tenant")]
    public async Task KeyEndpoints_OfAnUnknownTenant_Return404(string tenantId)
    {
        using var create = await Server.Platform.PostAsync(KeysRoute(tenantId), null);
        using var list = await Server.Platform.GetAsync(KeysRoute(tenantId));
        using var revoke = await Server.Platform.DeleteAsync($"{KeysRoute(tenantId)}/AAAAAAAA");

        await Problems.AssertProblemAsync(create, HttpStatusCode.NotFound, "NotFound");
        await Problems.AssertProblemAsync(list, HttpStatusCode.NotFound, "NotFound");
        await Problems.AssertProblemAsync(revoke, HttpStatusCode.NotFound, "NotFound");
    }

    [Theory]
    [InlineData("AAAAAAAA")]
    [InlineData("not.a.key")]
    [InlineData("%20")]
    public async Task RevokeKey_ThatTheTenantDoesNotHave_Returns404AndRevokesNothing(string keyId)
    {
        var tenant = await Server.CreateTenantAsync();

        using var response = await Server.Platform.DeleteAsync($"{KeysRoute(tenant.Id)}/{keyId}");

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "NotFound");
        Assert.Equal(HttpStatusCode.OK, (await tenant.Client.GetAsync(Route)).StatusCode);
    }

    // The keys are the platform's to manage: a tenant key is refused whichever tenant it names, its own included,
    // so the answer says nothing about whether another tenant exists.
    [Fact]
    public async Task KeyEndpoints_WithATenantKey_Return403ForItsOwnAndAnotherTenant_AndChangeNothing()
    {
        var a = await Server.CreateTenantAsync("Tenant A");
        var b = await Server.CreateTenantAsync("Tenant B");
        var bKeysBefore = (await ListKeysAsync(b.Id)).GetRawText();

        foreach (var target in new[] { a.Id, b.Id, "t_AAAAAAAAAAAAAAAAAAAAAA" })
        {
            using var create = await a.Client.PostAsync(KeysRoute(target), null);
            using var list = await a.Client.GetAsync(KeysRoute(target));
            using var revoke = await a.Client.DeleteAsync($"{KeysRoute(target)}/{b.ApiKey.Split('.')[2]}");
            await Problems.AssertProblemAsync(create, HttpStatusCode.Forbidden, "Forbidden");
            await Problems.AssertProblemAsync(list, HttpStatusCode.Forbidden, "Forbidden");
            await Problems.AssertProblemAsync(revoke, HttpStatusCode.Forbidden, "Forbidden");
        }

        Assert.Equal(bKeysBefore, (await ListKeysAsync(b.Id)).GetRawText());
        Assert.Single((await ListKeysAsync(a.Id)).GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, (await b.Client.GetAsync(Route)).StatusCode);
    }

    private static string KeysRoute(string tenantId) => $"api/v1/tenants/{tenantId}/keys";

    private async Task<string> CreateKeyAsync(string tenantId, string? name)
    {
        var key = await Server.CreateApiClient().Api.V1.Tenants[tenantId].Keys.PostAsync(new CreateApiKeyRequest { Name = name });
        return key!.ApiKey!;
    }

    private async Task<JsonElement> ListKeysAsync(string tenantId)
    {
        using var response = await Server.Platform.GetAsync(KeysRoute(tenantId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json.ReadObjectAsync(response);
    }
}
