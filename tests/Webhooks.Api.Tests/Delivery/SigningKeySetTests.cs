using System.Net;
using System.Net.Http.Headers;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Testing;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>
/// Key discovery: the tenant's key set at <c>/.well-known/webhooks/{tenantId}/jwks.json</c>, without a key and
/// cacheable, and every delivery naming the key that made its <c>N-Signature</c>, so a listener verifies by key id.
/// </summary>
public sealed class SigningKeySetTests(ApiServer server) : ApiTest(server), IClassFixture<ApiServer>
{
    [Fact]
    public async Task KeySet_IsServedWithoutAKey_AsAJsonWebKeySet_Cacheable_AndRevalidatedWithItsETag()
    {
        var tenant = await Server.CreateTenantAsync("Keys");
        using var anonymous = Server.CreateClient();

        using var response = await anonymous.GetAsync($".well-known/webhooks/{tenant.Id}/jwks.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var key = Assert.Single((await Json.ReadObjectAsync(response)).GetProperty("keys").EnumerateArray());
        Assert.Equal(["kty", "kid", "use", "alg", "n", "e"], key.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("RSA", "sig", "RS256", "AQAB"), (key.String("kty"), key.String("use"), key.String("alg"), key.String("e")));
        Assert.Equal(await tenant.Api.ModulusAsync(), key.String("n"));
        using var credentials = await tenant.Client.GetAsync("api/v1/account/credentials");
        Assert.Equal(key.String("kid"), (await Json.ReadObjectAsync(credentials)).String("kid"));
        Assert.Equal(TimeSpan.FromSeconds(300), response.Headers.CacheControl?.MaxAge);
        Assert.True(response.Headers.CacheControl?.Public);
        var etag = Assert.IsType<EntityTagHeaderValue>(response.Headers.ETag);

        using var again = new HttpRequestMessage(HttpMethod.Get, $".well-known/webhooks/{tenant.Id}/jwks.json");
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await anonymous.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("t_AAAAAAAAAAAAAAAAAAAAAA")] // well-formed, never created
    [InlineData("not-a-tenant")]
    public async Task KeySet_OfNoTenant_IsA404Problem(string tenantId)
    {
        using var anonymous = Server.CreateClient();

        using var response = await anonymous.GetAsync($".well-known/webhooks/{tenantId}/jwks.json");

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "NotFound");
    }

    [Fact]
    public async Task Delivery_NamesItsKey_AndVerifiesWithTheKeyOfThatIdFromTheKeySet()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint(200);
        var tenant = await Server.CreateTenantAsync("Kid");
        await tenant.Client.CreateListenerAsync(endpoint.Uri.ToString(), "entitlement.created");
        using var anonymous = Server.CreateClient();
        using var keySet = await anonymous.GetAsync($".well-known/webhooks/{tenant.Id}/jwks.json");
        var keys = (await Json.ReadObjectAsync(keySet)).GetProperty("keys").EnumerateArray().ToDictionary(k => k.String("kid"), k => k.String("n"));

        var (eventId, _) = await tenant.Client.PublishAsync("entitlement.created", "ent_kid", new { seats = 1 });

        var request = Assert.Single(await endpoint.WaitForAsync(eventId, 1));
        var kid = request.Headers["N-Signature-Key-Id"];
        Assert.True(keys.TryGetValue(kid, out var modulus), $"the delivery's key id {kid} is in the key set");
        Assert.True(request.HasValidNSignature(modulus));
    }
}
