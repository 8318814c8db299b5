using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Api.Tests.Delivery;
using Webhooks.Api.Tests.Infrastructure;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Tenants;

/// <summary>
/// The isolation matrix: every API endpoint, taken from the server's route table, against tenant B's resources with
/// tenant A's key, the platform key acting for A, the platform key naming no tenant, and a revoked key. Another
/// tenant's resources are 404 (they do not exist for the caller), the platform-only endpoints are 403 to every
/// tenant key, and afterwards B's state is exactly what it was.
/// </summary>
public sealed class TenantIsolationTests(IsolationServer server) : ApiTest(server), IClassFixture<IsolationServer>
{
    /// <summary>How an endpoint is reached, which decides what isolation means for it.</summary>
    public enum Access
    {
        /// <summary>Acts on one of the caller's tenant's resources named in the path (a listener).</summary>
        TenantResource,

        /// <summary>Acts on the caller's tenant as a whole (list, create, publish, catalog, credentials).</summary>
        Tenant,

        /// <summary>The platform's tenant and key management: platform key only.</summary>
        Platform,
    }

    /// <summary>Every API endpoint, with its access kind and a body. A new endpoint fails <see cref="Matrix_CoversEveryApiEndpoint"/> until it is added here.</summary>
    private static readonly Dictionary<string, (Access Access, string? Body)> Endpoints = new()
    {
        ["GET api/v1/account/webhooks"] = (Access.Tenant, null),
        ["POST api/v1/account/webhooks"] = (Access.Tenant, """{"uri":"https://attacker.example.com/steal","subscriptions":["*"]}"""),
        ["GET api/v1/account/webhooks/events"] = (Access.Tenant, null),
        ["GET api/v1/account/webhooks/{webhookListenerId}"] = (Access.TenantResource, null),
        ["PUT api/v1/account/webhooks/{webhookListenerId}"] = (Access.TenantResource, """{"uri":"https://attacker.example.com/steal","subscriptions":["*"]}"""),
        ["DELETE api/v1/account/webhooks/{webhookListenerId}"] = (Access.TenantResource, null),
        ["POST api/v1/account/webhooks/{webhookListenerId}/test"] = (Access.TenantResource, null),
        ["GET api/v1/account/webhooks/{webhookListenerId}/deliveries"] = (Access.TenantResource, null),
        ["GET api/v1/account/webhooks/{webhookListenerId}/stats"] = (Access.TenantResource, null),
        ["POST api/v1/account/webhooks/{webhookListenerId}/deliveries/{eventId}/redeliver"] = (Access.TenantResource, null),
        ["POST api/v1/account/webhooks/{webhookListenerId}/recover"] = (Access.TenantResource, """{"since":"2000-01-01T00:00:00Z"}"""),
        ["POST api/v1/account/webhooks/{webhookListenerId}/secret/rotate"] = (Access.TenantResource, null),
        ["POST api/v1/account/webhooks/{webhookListenerId}/enable"] = (Access.TenantResource, null),
        ["POST api/v1/account/webhooks/{webhookListenerId}/disable"] = (Access.TenantResource, null),
        ["POST api/v1/account/webhooks/recover"] = (Access.Tenant, """{"since":"2000-01-01T00:00:00Z"}"""),
        ["POST api/v1/events"] = (Access.Tenant, """{"eventCode":"entitlement.created","resourceId":"ent_isolation"}"""),
        ["GET api/v1/events"] = (Access.Tenant, null),
        ["GET api/v1/events/{eventId}"] = (Access.TenantResource, null),
        ["GET api/v1/account/credentials"] = (Access.Tenant, null),
        ["POST api/v1/account/credentials/rotate"] = (Access.Tenant, """{"activateNow":true}"""),
        ["POST api/v1/tenants"] = (Access.Platform, """{"name":"Intruder"}"""),
        ["GET api/v1/tenants/{tenantId}"] = (Access.Platform, null),
        ["DELETE api/v1/tenants/{tenantId}"] = (Access.Platform, null),
        ["POST api/v1/tenants/{tenantId}/keys"] = (Access.Platform, """{"name":"intruder"}"""),
        ["GET api/v1/tenants/{tenantId}/keys"] = (Access.Platform, null),
        ["DELETE api/v1/tenants/{tenantId}/keys/{keyId}"] = (Access.Platform, null),
    };

    public static TheoryData<string> Matrix => [.. Endpoints.Keys];

    [Fact]
    public void Matrix_CoversEveryApiEndpoint()
    {
        var routes = Server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => (Pattern: e.RoutePattern.RawText?.Trim('/') ?? "", Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []))
            .Where(e => e.Pattern.StartsWith("api/", StringComparison.Ordinal))
            .SelectMany(e => e.Methods.Select(m => $"{m} {e.Pattern}"))
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.NotEmpty(routes);
        Assert.Equal(routes, Endpoints.Keys.Order(StringComparer.Ordinal).ToArray());
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Endpoint_AimedAtAnotherTenant_IsRefused_AndLeavesThatTenantUnchanged(string endpoint)
    {
        var world = await ((IsolationServer)Server).WorldAsync();
        var (access, body) = Endpoints[endpoint];
        var before = await SnapshotAsync(world);

        // Tenant A's own key, aimed at B: B's resources do not exist for A (404); the platform's endpoints are not
        // for tenant keys at all (403); endpoints on "my tenant" can only be pointed at B with N-TenantId (403).
        using (var response = await SendAsync(world.A.Client, endpoint, body, world, tenantHeader: access == Access.Tenant ? world.B.Id : null))
        {
            var expected = access == Access.TenantResource ? HttpStatusCode.NotFound : HttpStatusCode.Forbidden;
            await Problems.AssertProblemAsync(response, expected);
        }

        if (access == Access.TenantResource)
        {
            // The platform key acting for A is held to A's resources just the same.
            using var platformAsA = Server.CreateClient(ApiServer.PlatformKey, world.A.Id);
            using var response = await SendAsync(platformAsA, endpoint, body, world);
            await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "NotFound");
        }

        if (access != Access.Platform)
        {
            using var response = await SendAsync(Server.Platform, endpoint, body, world);
            await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "TenantRequired");
        }

        using (var response = await SendAsync(world.RevokedKey, endpoint, body, world))
        {
            await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "Unauthorized");
        }

        Assert.Equal(before, await SnapshotAsync(world));
    }

    [Fact]
    public async Task List_ShowsOnlyTheCallersOwnListeners()
    {
        var world = await ((IsolationServer)Server).WorldAsync();
        var a = await Server.CreateTenantAsync("Tenant C");
        var aListener = (await a.Client.CreateListenerAsync()).String("id");

        var aPage = await a.Client.ListAsync("?pageSize=100");

        Assert.Equal([aListener], aPage.Ids());
        Assert.Equal(1, aPage.Int("elementsTotal"));
        Assert.Equal([world.BListener], (await world.PlatformAsB.ListAsync("?pageSize=100")).Ids());
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string endpoint, string? body, IsolationWorld world, string? tenantHeader = null)
    {
        var (method, pattern) = (endpoint[..endpoint.IndexOf(' ', StringComparison.Ordinal)], endpoint[(endpoint.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        var path = pattern
            .Replace("{webhookListenerId}", world.BListener, StringComparison.Ordinal)
            .Replace("{eventId}", world.BEventId, StringComparison.Ordinal)
            .Replace("{tenantId}", world.B.Id, StringComparison.Ordinal)
            .Replace("{keyId}", world.BKeyId, StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : Json.Raw(body) };
        if (tenantHeader is not null)
        {
            request.Headers.Add("N-TenantId", tenantHeader);
        }

        return await client.SendAsync(request);
    }

    /// <summary>Everything of B's an endpoint could change: its listeners, the listener, its delivery log, its events, its keys, its signing key, what its receiver got.</summary>
    private async Task<string> SnapshotAsync(IsolationWorld world)
    {
        var b = world.PlatformAsB;
        var keys = await Server.Platform.GetStringAsync($"api/v1/tenants/{world.B.Id}/keys");
        using var ownKey = await world.B.Client.GetAsync(WebhooksClient.Route); // B's key itself still works
        return string.Join(
            "\n",
            await b.SnapshotAsync(),
            (await b.GetListenerAsync(world.BListener)).GetRawText(),
            (await b.DeliveriesAsync(world.BListener)).GetRawText(),
            await b.GetStringAsync("api/v1/events?limit=1000"),
            keys,
            await b.ModulusAsync(),
            await b.GetStringAsync($".well-known/webhooks/{world.B.Id}/jwks.json"),
            world.BReceiver.Received.Count,
            ownKey.StatusCode);
    }
}
