using System.Net;
using System.Net.Http.Headers;
using Webhooks.Api.Tests.Infrastructure;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>What a listener author reads to verify <c>N-Signature</c>: the key signing now, and the tenant's key set.</summary>
public static class KeyRotationClient
{
    /// <summary>The key signing now, from <c>GET api/v1/account/credentials</c>.</summary>
    public static async Task<(string Kid, string Modulus)> CredentialsAsync(HttpClient tenant)
    {
        using var response = await tenant.GetAsync("api/v1/account/credentials");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await Json.ReadObjectAsync(response);
        return (body.String("kid"), body.String("publicKeyModulus"));
    }

    /// <summary>The key set, modulus by key id in the order served, and its ETag.</summary>
    public static async Task<(Dictionary<string, string> Keys, EntityTagHeaderValue ETag)> KeySetAsync(HttpClient anonymous, string tenantId)
    {
        using var response = await anonymous.GetAsync($".well-known/webhooks/{tenantId}/jwks.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var keys = (await Json.ReadObjectAsync(response)).GetProperty("keys").EnumerateArray().ToDictionary(k => k.String("kid"), k => k.String("n"));
        return (keys, Assert.IsType<EntityTagHeaderValue>(response.Headers.ETag));
    }
}
