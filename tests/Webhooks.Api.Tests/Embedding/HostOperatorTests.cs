using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Api.Tests.Infrastructure;

namespace Webhooks.Api.Tests.Embedding;

/// <summary>The embedding host with its own policy for the platform endpoints, and no platform key configured at all.</summary>
public sealed class OperatorEmbeddingHost : EmbeddingHost
{
    public const string Operator = "olga";
    public const string OperatorsPolicy = "webhooks-operators";

    protected override IEnumerable<KeyValuePair<string, string?>> AdditionalSettings() => [];

    protected override void ConfigureApi(WebhooksApiOptions api)
    {
        base.ConfigureApi(api);
        api.PlatformPolicy = OperatorsPolicy;
    }

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddAuthorizationBuilder().AddPolicy(OperatorsPolicy, p => p.RequireRole(HostUsers.OperatorRole));

    protected override HttpClient PlatformClient()
    {
        Users.AddOperator(Operator);
        return CreateClient(Operator);
    }
}

/// <summary>
/// A host that names its own policy for the platform endpoints starts without a platform key (outside Development),
/// its operators manage tenants through the prefix, other signed-in users are forbidden and anyone else unauthorized,
/// each with a problem body.
/// </summary>
public sealed class HostOperatorTests(OperatorEmbeddingHost host) : IClassFixture<OperatorEmbeddingHost>
{
    private const string Tenants = EmbeddingHost.Prefix + "/api/v1/tenants";

    [Fact]
    public async Task PlatformEndpoints_UnderTheHostsPolicy_AdmitItsOperators_ForbidOtherUsers_AndRefuseTheAnonymous()
    {
        var (tenantId, customer) = await host.TenantUserAsync("carol", "Operated");

        using var forbidden = await customer.PostAsJsonAsync(Tenants, new { name = "Carol's own" });
        using var anonymous = await host.CreateClient().GetAsync($"{Tenants}/{tenantId}");
        using var keyless = await host.CreateClient(bearer: EmbeddingHost.PlatformKey).GetAsync($"{Tenants}/{tenantId}");
        using var asOperator = await host.CreateClient(OperatorEmbeddingHost.Operator).GetAsync($"{Tenants}/{tenantId}/keys");
        using var customersOwn = await customer.GetAsync(Infrastructure.WebhooksClient.Route);

        await Problems.AssertProblemAsync(forbidden, HttpStatusCode.Forbidden, "Forbidden");
        await Problems.AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized, "Unauthorized");
        await Problems.AssertProblemAsync(keyless, HttpStatusCode.Unauthorized, "Unauthorized");
        Assert.Equal(HttpStatusCode.OK, asOperator.StatusCode);
        Assert.Equal(1, (await Json.ReadObjectAsync(asOperator)).Int("elementsTotal"));
        Assert.Equal(HttpStatusCode.OK, customersOwn.StatusCode);
    }
}
