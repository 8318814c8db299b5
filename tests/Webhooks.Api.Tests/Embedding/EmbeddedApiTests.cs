using System.Net;
using Webhooks.Abstractions;
using Webhooks.Api.Tests.Infrastructure;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Embedding;

/// <summary>
/// The API mounted in a platform's own app under a prefix, the tenant taken from the host's authenticated user: the
/// listener endpoints work through the prefix for that user's tenant only, the host's authentication is the only way
/// in to them, the platform-only endpoints still want the platform key, and nothing is mapped outside the prefix.
/// </summary>
public sealed class EmbeddedApiTests(EmbeddingHost host) : IClassFixture<EmbeddingHost>, IDisposable
{
    private const string Listeners = EmbeddingHost.Prefix + "/" + Route;

    private readonly int _serverErrorsBefore = host.Responses.ServerErrors.Count;

    [Fact]
    public async Task HostUser_CreatesListsAndGetsListeners_ThroughThePrefix_ForTheResolvedTenant()
    {
        var (_, alice) = await host.TenantUserAsync("alice", "Acme");

        using var created = await alice.PostAsync(Listeners, Body("https://example.com/hooks/acme", "entitlement.created"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await Json.ReadObjectAsync(created)).String("id");
        Assert.Equal($"{Listeners}/{id}", created.Headers.Location?.OriginalString);

        Assert.Equal([id], (await alice.ListAsync()).Ids());
        Assert.Equal("https://example.com/hooks/acme", (await alice.GetListenerAsync(id)).String("uri"));

        // The tenant endpoints act for the resolved tenant, as its own API key does on the server's routes.
        using var credentials = await alice.GetAsync(EmbeddingHost.Prefix + "/api/v1/account/credentials");
        Assert.Equal(HttpStatusCode.OK, credentials.StatusCode);
    }

    [Fact]
    public async Task HostUser_OfAnotherTenant_GetsNotFound_ForTheFirstTenantsListener_AndDoesNotListIt()
    {
        var (_, ann) = await host.TenantUserAsync("ann", "Acme");
        var (_, bob) = await host.TenantUserAsync("bob", "Globex");
        var id = (await ann.CreateListenerAsync("https://example.com/hooks/ann", "*")).String("id");

        using var get = await bob.GetAsync($"{Listeners}/{id}");
        using var put = await bob.PutAsync($"{Listeners}/{id}", Body("https://example.com/hooks/bob", "*"));
        using var delete = await bob.DeleteAsync($"{Listeners}/{id}");

        await Problems.AssertProblemAsync(get, HttpStatusCode.NotFound);
        await Problems.AssertProblemAsync(put, HttpStatusCode.NotFound);
        await Problems.AssertProblemAsync(delete, HttpStatusCode.NotFound);
        Assert.Empty((await bob.ListAsync()).Ids());
        Assert.Equal("https://example.com/hooks/ann", (await ann.GetListenerAsync(id)).String("uri"));
    }

    [Fact]
    public async Task Request_WithoutTheHostsAuthentication_Is401WithAProblemBody_EvenWithTheTenantsOwnApiKey()
    {
        var (_, apiKey) = await host.CreateTenantAsync("Keyed");

        using var anonymous = await host.CreateClient().GetAsync(Listeners);
        using var unknownUser = await host.CreateClient("mallory").GetAsync(Listeners);
        using var withTenantKey = await host.CreateClient(bearer: apiKey).GetAsync(Listeners);
        using var withPlatformKey = await host.CreateClient(bearer: EmbeddingHost.PlatformKey).PostAsync(Listeners, Body("https://example.com/hooks/x", "*"));

        await Problems.AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized, "Unauthorized");
        await Problems.AssertProblemAsync(unknownUser, HttpStatusCode.Unauthorized, "Unauthorized");
        await Problems.AssertProblemAsync(withTenantKey, HttpStatusCode.Unauthorized, "Unauthorized");
        await Problems.AssertProblemAsync(withPlatformKey, HttpStatusCode.Unauthorized, "Unauthorized");
    }

    [Fact]
    public async Task HostUser_WhoActsForNoTenant_Is403_AndOneWhoseTenantDoesNotExist_Is404()
    {
        host.Users.Add("visitor", null);
        host.Users.Add("stale", ResourceIds.NewTenantId());

        using var noTenant = await host.CreateClient("visitor").GetAsync(Listeners);
        using var unknownTenant = await host.CreateClient("stale").GetAsync(Listeners);

        await Problems.AssertProblemAsync(noTenant, HttpStatusCode.Forbidden, "Forbidden");
        await Problems.AssertProblemAsync(unknownTenant, HttpStatusCode.NotFound, "TenantNotFound");
    }

    [Fact]
    public async Task PlatformEndpoints_UnderThePrefix_StillWantThePlatformKey_NotAHostUser()
    {
        var (tenantId, carol) = await host.TenantUserAsync("carol", "Guarded");

        using var create = await carol.PostAsync(EmbeddingHost.Prefix + "/api/v1/tenants", Json.Raw("""{"name":"Carol's own"}"""));
        using var keys = await carol.GetAsync($"{EmbeddingHost.Prefix}/api/v1/tenants/{tenantId}/keys");
        using var keysWithPlatformKey = await host.CreateClient(bearer: EmbeddingHost.PlatformKey).GetAsync($"{EmbeddingHost.Prefix}/api/v1/tenants/{tenantId}/keys");

        await Problems.AssertProblemAsync(create, HttpStatusCode.Unauthorized, "Unauthorized");
        await Problems.AssertProblemAsync(keys, HttpStatusCode.Unauthorized, "Unauthorized");
        Assert.Equal(HttpStatusCode.OK, keysWithPlatformKey.StatusCode);
    }

    [Theory]
    [InlineData("/" + Route)]
    [InlineData("/api/v1/events")]
    [InlineData("/api/v1/account/credentials")]
    public async Task UnprefixedRoutes_AreNotMapped(string path)
    {
        var (tenantId, dave) = await host.TenantUserAsync("dave", "Unprefixed");

        using var asUser = await dave.GetAsync(path);
        using var tenants = await host.CreateClient(bearer: EmbeddingHost.PlatformKey).GetAsync($"/api/v1/tenants/{tenantId}");

        Assert.Equal(HttpStatusCode.NotFound, asUser.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, tenants.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_OfTheHost_HasEveryApiPathUnderThePrefix()
    {
        using var response = await host.CreateClient().GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = (await Json.ReadObjectAsync(response)).GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains($"{Listeners}/{{webhookListenerId}}", paths);
        Assert.Contains(EmbeddingHost.Prefix + "/api/v1/events", paths);
        Assert.Contains(EmbeddingHost.Prefix + "/api/v1/tenants", paths);
        Assert.Contains(EmbeddingHost.Prefix + "/.well-known/webhooks/{tenantId}/jwks.json", paths);
        Assert.All(paths, p => Assert.True(
            p.StartsWith(EmbeddingHost.Prefix + "/api/v1/", StringComparison.Ordinal) || p.StartsWith(EmbeddingHost.Prefix + "/.well-known/", StringComparison.Ordinal), p));
    }

    public void Dispose()
    {
        var errors = host.Responses.ServerErrors.Skip(_serverErrorsBefore).ToArray();
        Assert.True(errors.Length == 0, "The host answered with 5xx: " + string.Join("; ", errors));
    }
}
