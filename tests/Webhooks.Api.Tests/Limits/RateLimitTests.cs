using System.Net;
using System.Net.Http.Json;
using Webhooks.Api.Tests.Infrastructure;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Limits;

/// <summary>The server with a tiny per-key rate for tenant keys (3 at once, one more a minute) and the platform key left at its default.</summary>
public sealed class RateLimitedServer : ApiServer
{
    public const int Burst = 3;

    protected override IEnumerable<KeyValuePair<string, string>> AdditionalSettings() =>
    [
        KeyValuePair.Create("Webhooks:RateLimits:TenantKeyTokenLimit", $"{Burst}"),
        KeyValuePair.Create("Webhooks:RateLimits:TenantKeyTokensPerPeriod", "1"),
        KeyValuePair.Create("Webhooks:RateLimits:TenantKeyReplenishmentPeriod", "00:01:00"),
    ];
}

/// <summary>Requests are limited per API key: a key over its rate gets 429 with Retry-After; other keys carry on.</summary>
public sealed class RateLimitTests(RateLimitedServer server) : ApiTest(server), IClassFixture<RateLimitedServer>
{
    [Fact]
    public async Task TenantKey_OverItsRate_Gets429ProblemWithRetryAfter_WhileOtherKeysAreUnaffected()
    {
        var a = await Server.CreateTenantAsync("Tenant A");
        var b = await Server.CreateTenantAsync("Tenant B");
        using var created = await Server.Platform.PostAsJsonAsync($"api/v1/tenants/{a.Id}/keys", new { name = "second" });
        using var aSecondKey = Server.CreateClient((await Json.ReadObjectAsync(created)).String("apiKey"));

        for (var i = 0; i < RateLimitedServer.Burst; i++)
        {
            using var allowed = await a.Client.GetAsync(Route);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await a.Client.GetAsync(Route);
        using var refusedCreate = await a.Client.PostAsync(Route, Body("https://hooks.example.com/late", "*"));

        var problem = await Problems.AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "TooManyRequests");
        var retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Contains("retry after", problem.String("details"), StringComparison.Ordinal);
        await Problems.AssertProblemAsync(refusedCreate, HttpStatusCode.TooManyRequests, "TooManyRequests");

        // Another tenant's key, and another key of the same tenant, have buckets of their own.
        using var otherTenant = await b.Client.GetAsync(Route);
        using var sameTenantOtherKey = await aSecondKey.GetAsync(Route);
        Assert.Equal(HttpStatusCode.OK, otherTenant.StatusCode);
        Assert.Equal(0, (await Json.ReadObjectAsync(sameTenantOtherKey)).Int("elementsTotal")); // the refused create created nothing
    }

    [Fact]
    public async Task PlatformKey_IsNotLimitedByDefault()
    {
        var tenant = await Server.CreateTenantAsync();
        using var platform = Server.CreateClient(ApiServer.PlatformKey, tenant.Id);

        for (var i = 0; i < RateLimitedServer.Burst * 10; i++)
        {
            using var response = await platform.GetAsync(Route);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task UnauthenticatedRequests_Get401_NotCountedAgainstAnyKey()
    {
        var tenant = await Server.CreateTenantAsync();
        using var anonymous = Server.CreateClient();

        for (var i = 0; i < RateLimitedServer.Burst * 2; i++)
        {
            using var response = await anonymous.GetAsync(Route);
            await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "Unauthorized");
        }

        using var first = await tenant.Client.GetAsync(Route);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
    }
}
