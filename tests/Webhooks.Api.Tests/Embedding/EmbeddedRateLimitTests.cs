using System.Net;
using Webhooks.Api.Tests.Infrastructure;

namespace Webhooks.Api.Tests.Embedding;

/// <summary>The embedding host with a tenant allowance of three requests that does not refill within a test.</summary>
public sealed class RateLimitedEmbeddingHost : EmbeddingHost
{
    public const int Burst = 3;

    protected override IEnumerable<KeyValuePair<string, string?>> AdditionalSettings() =>
    [
        .. base.AdditionalSettings(),
        new("Webhooks:RateLimits:TenantKeyTokenLimit", Burst.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Webhooks:RateLimits:TenantKeyTokensPerPeriod", "1"),
        new("Webhooks:RateLimits:TenantKeyReplenishmentPeriod", "1.00:00:00"),
    ];
}

/// <summary>Behind a tenant resolver the rate limit is the tenant's: shared by its users, separate from other tenants'.</summary>
public sealed class EmbeddedRateLimitTests(RateLimitedEmbeddingHost host) : IClassFixture<RateLimitedEmbeddingHost>
{
    [Fact]
    public async Task HostUsers_OfOneTenant_ShareItsAllowance_AndAnotherTenantKeepsItsOwn()
    {
        var (acme, ann) = await host.TenantUserAsync("ann", "Acme");
        host.Users.Add("amy", acme);
        var (_, bob) = await host.TenantUserAsync("bob", "Globex");

        for (var i = 0; i < RateLimitedEmbeddingHost.Burst; i++)
        {
            using var allowed = await ann.GetAsync(WebhooksClient.Route);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var annOver = await ann.GetAsync(WebhooksClient.Route);
        using var amyOver = await host.CreateClient("amy").GetAsync(WebhooksClient.Route);
        using var bobsTurn = await bob.GetAsync(WebhooksClient.Route);

        var problem = await Problems.AssertProblemAsync(annOver, HttpStatusCode.TooManyRequests, "TooManyRequests");
        Assert.Contains("tenant", problem.String("details"), StringComparison.Ordinal);
        Assert.True(annOver.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        await Problems.AssertProblemAsync(amyOver, HttpStatusCode.TooManyRequests, "TooManyRequests");
        Assert.Equal(HttpStatusCode.OK, bobsTurn.StatusCode);
    }
}
