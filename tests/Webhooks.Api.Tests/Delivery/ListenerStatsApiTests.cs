using System.Net;
using System.Text.Json;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Testing;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Delivery;

/// <summary><c>GET …/{id}/stats</c>: what a listener's attempts came to, through the API, and 404 for anyone else's listener.</summary>
public sealed class ListenerStatsApiTests(DeliveryServer server) : ApiTest(server), IClassFixture<DeliveryServer>
{
    [Fact]
    public async Task Stats_ShowTheAttempts_TheirLatency_AndTheLastFailure()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint(500, 200);
        var tenant = await Server.CreateTenantAsync("Stats");
        var id = (await tenant.Client.CreateListenerAsync(endpoint.Uri.ToString(), "*")).String("id");

        var fresh = await StatsAsync(tenant.Client, id);
        Assert.Equal(0, fresh.GetProperty("lastHour").GetProperty("attempts").GetInt64());
        Assert.Equal(JsonValueKind.Null, fresh.GetProperty("lastHour").GetProperty("successRate").ValueKind);
        Assert.Equal(JsonValueKind.Null, fresh.GetProperty("lastError").ValueKind);

        var (eventId, _) = await tenant.Client.PublishAsync("customer.created");
        await tenant.Client.WaitForStatusAsync(id, eventId, "succeeded");

        var stats = await StatsAsync(tenant.Client, id);
        foreach (var window in new[] { stats.GetProperty("lastHour"), stats.GetProperty("lastDay") })
        {
            Assert.Equal(2, window.GetProperty("attempts").GetInt64());
            Assert.Equal(1, window.GetProperty("succeeded").GetInt64());
            Assert.Equal(0.5, window.GetProperty("successRate").GetDouble());
            Assert.True(window.GetProperty("latencyP50Ms").GetDouble() >= 0);
            Assert.True(window.GetProperty("latencyP95Ms").GetDouble() >= window.GetProperty("latencyP50Ms").GetDouble());
        }

        Assert.Equal(0, stats.GetProperty("pending").GetInt32());
        Assert.Equal(0, stats.GetProperty("parked").GetInt32());
        Assert.True(stats.GetProperty("concurrencyLimit").GetInt32() >= 1);
        var lastError = stats.GetProperty("lastError");
        Assert.Equal(500, lastError.GetProperty("statusCode").GetInt32());
        Assert.Equal(eventId, lastError.String("eventId"));
    }

    [Fact]
    public async Task Stats_OfAnotherTenantsOrAnUnknownListener_Are404()
    {
        var owner = await Server.CreateTenantAsync("Owner");
        var other = await Server.CreateTenantAsync("Other");
        var id = (await owner.Client.CreateListenerAsync("https://hooks.example.com/s", "*")).String("id");

        foreach (var (client, listenerId) in new[] { (other.Client, id), (owner.Client, UnknownListenerId()), (owner.Client, "not-an-id") })
        {
            using var response = await client.GetAsync($"{Route}/{listenerId}/stats");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound);
        }
    }

    private static async Task<JsonElement> StatsAsync(HttpClient client, string id)
    {
        using var response = await client.GetAsync($"{Route}/{id}/stats");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json.ReadObjectAsync(response);
    }
}
