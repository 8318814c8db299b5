using System.Net;
using Webhooks.Api.Tests.Delivery;
using Webhooks.Api.Tests.Infrastructure;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Limits;

/// <summary>The server with small limits, set the way an operator would: through <c>Webhooks:Limits</c>.</summary>
public sealed class LimitedServer : ApiServer
{
    public const int MaxListeners = 3;
    public const int MaxSubscriptions = 2;
    public const int MaxManagementBody = 2048;
    public const int MaxPublishBody = 4096;

    protected override IEnumerable<KeyValuePair<string, string>> AdditionalSettings() =>
    [
        KeyValuePair.Create("Webhooks:Limits:MaxListenersPerTenant", $"{MaxListeners}"),
        KeyValuePair.Create("Webhooks:Limits:MaxSubscriptionsPerListener", $"{MaxSubscriptions}"),
        KeyValuePair.Create("Webhooks:Limits:MaxManagementBodyBytes", $"{MaxManagementBody}"),
        KeyValuePair.Create("Webhooks:Limits:MaxPublishBodyBytes", $"{MaxPublishBody}"),
    ];
}

/// <summary>Each configured limit holds, with a problem body that says which.</summary>
public sealed class LimitsTests(LimitedServer server) : ApiTest(server), IClassFixture<LimitedServer>
{
    [Fact]
    public async Task CreateListener_ConcurrentlyPastTheTenantsLimit_CreatesExactlyTheLimit_AndAnswersTheRestWith409()
    {
        var tenant = await Server.CreateTenantAsync();
        using var platform = Server.CreateClient(ApiServer.PlatformKey, tenant.Id); // unlimited rate, so only the listener cap refuses

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            platform.PostAsync(Route, Body($"https://hooks.example.com/{i}", "entitlement.created"))));

        try
        {
            Assert.Equal(LimitedServer.MaxListeners, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
            foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            {
                var problem = await Problems.AssertProblemAsync(refused, HttpStatusCode.Conflict, "ListenerLimitReached");
                Assert.Contains("MaxListenersPerTenant", problem.String("details"), StringComparison.Ordinal);
            }
        }
        finally
        {
            Array.ForEach(responses, r => r.Dispose());
        }

        Assert.Equal(LimitedServer.MaxListeners, (await tenant.Client.ListAsync()).Int("elementsTotal"));
    }

    [Fact]
    public async Task CreateListener_AfterOneIsDeleted_FitsUnderTheLimitAgain_AndOtherTenantsAreUnaffected()
    {
        var tenant = await Server.CreateTenantAsync();
        var ids = new List<string>();
        for (var i = 0; i < LimitedServer.MaxListeners; i++)
        {
            ids.Add((await tenant.Client.CreateListenerAsync()).String("id"));
        }

        using var full = await tenant.Client.PostAsync(Route, Body("https://hooks.example.com/x", "*"));
        await Problems.AssertProblemAsync(full, HttpStatusCode.Conflict, "ListenerLimitReached");
        var other = await Server.CreateTenantAsync("Other");
        await other.Client.CreateListenerAsync();

        using var delete = await tenant.Client.DeleteAsync($"{Route}/{ids[0]}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await tenant.Client.CreateListenerAsync();
        Assert.Equal(LimitedServer.MaxListeners, (await tenant.Client.ListAsync()).Int("elementsTotal"));
    }

    [Fact]
    public async Task CreateOrUpdateListener_WithMoreSubscriptionsThanConfigured_Returns422()
    {
        var tenant = await Server.CreateTenantAsync();
        var id = (await tenant.Client.CreateListenerAsync("https://hooks.example.com/a", "customer.created", "customer.updated")).String("id");

        using var create = await tenant.Client.PostAsync(Route, Body("https://hooks.example.com/b", "customer.created", "customer.updated", "entitlement.created"));
        using var update = await tenant.Client.PutAsync($"{Route}/{id}", Body("https://hooks.example.com/b", "customer.created", "customer.updated", "entitlement.created"));

        var problem = await Problems.AssertValidationProblemAsync(create, "subscriptions");
        Assert.Contains("MaxSubscriptionsPerListener", problem.GetRawText(), StringComparison.Ordinal);
        await Problems.AssertValidationProblemAsync(update, "subscriptions");
        Assert.Equal(1, (await tenant.Client.ListAsync()).Int("elementsTotal"));
    }

    [Fact]
    public async Task ManagementBody_OverTheConfiguredCap_Returns413()
    {
        var tenant = await Server.CreateTenantAsync();
        var longUri = "https://hooks.example.com/" + new string('a', LimitedServer.MaxManagementBody);

        using var listener = await tenant.Client.PostAsync(Route, Body(longUri, "*"));
        using var createTenant = await Server.Platform.PostAsync("api/v1/tenants", Json.Raw($$"""{"name":"{{new string('n', LimitedServer.MaxManagementBody)}}"}"""));

        await Problems.AssertProblemAsync(listener, HttpStatusCode.RequestEntityTooLarge, "PayloadTooLarge");
        await Problems.AssertProblemAsync(createTenant, HttpStatusCode.RequestEntityTooLarge, "PayloadTooLarge");
        Assert.Equal(0, (await tenant.Client.ListAsync()).Int("elementsTotal"));
    }

    [Fact]
    public async Task PublishBody_OverTheConfiguredCap_Returns413_AndUnderItIsAccepted()
    {
        var tenant = await Server.CreateTenantAsync();

        using var tooLarge = await tenant.Client.PostAsync(DeliveryClient.EventsRoute,
            DeliveryClient.Event("entitlement.created", payload: new { data = new string('p', LimitedServer.MaxPublishBody) }));
        var (_, matched) = await tenant.Client.PublishAsync("entitlement.created", payload: new { data = new string('p', LimitedServer.MaxPublishBody / 2) });

        await Problems.AssertProblemAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge, "PayloadTooLarge");
        Assert.Equal(0, matched);
    }
}
