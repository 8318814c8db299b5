using System.Net;
using Webhooks.Testing;

namespace Webhooks.Server.Tests;

/// <summary>Production mode: two server processes on one PostgreSQL form one cluster and serve one consistent API.</summary>
public sealed class PostgreSqlClusterProcessTests : IDisposable
{
    private readonly string _dataFolder = Directory.CreateTempSubdirectory("webhooks-pg-").FullName;

    [Fact]
    public async Task TwoSilos_OnOnePostgreSql_ServeOneApi_AndDeliver()
    {
        var settings = await ServerSettings.PostgreSqlClusterAsync(_dataFolder);
        var listenerPort = FreePort.Next();
        await using var listener = await TestReceiver.StartAsync(listenerPort);
        await using var first = await ServerProcess.StartAsync(_dataFolder, settings);
        await using var second = await ServerProcess.StartAsync(_dataFolder, settings);

        var (_, viaFirst) = await ApiClient.CreateTenantAsync(first.Address, "Clustered Ltd");
        using (viaFirst)
        using (var viaSecond = new ApiClient(second.Address, viaFirst.Key))
        {
            var created = await viaFirst.SendAsync(HttpMethod.Post, "api/v1/account/webhooks",
                new { uri = $"http://127.0.0.1:{listenerPort}/hook", subscriptions = new[] { "entitlement.created" } }, HttpStatusCode.Created);
            var id = created.GetProperty("id").GetString();

            var seen = await viaSecond.SendAsync(HttpMethod.Get, $"api/v1/account/webhooks/{id}", null, HttpStatusCode.OK);
            Assert.Equal(created.GetProperty("uri").GetString(), seen.GetProperty("uri").GetString());
            var accepted = await viaSecond.SendAsync(HttpMethod.Post, "api/v1/events",
                new { eventCode = "entitlement.created", resourceId = "ent_1" }, HttpStatusCode.Accepted);
            Assert.Equal(1, accepted.GetProperty("matchedWebhooks").GetInt32());

            await listener.WaitForAsync(1, TimeSpan.FromSeconds(60));
            Assert.Equal(accepted.GetProperty("eventId").GetString(), listener.Received.First().GetProperty("eventId").GetString());

            // The events feed is the store's, not a silo's: either silo serves the same events with the same cursors.
            var another = await viaFirst.SendAsync(HttpMethod.Post, "api/v1/events", new { eventCode = "entitlement.created", resourceId = "ent_2" }, HttpStatusCode.Accepted);
            var feedViaFirst = await FeedAsync(viaFirst, another.GetProperty("eventId").GetString()!);
            var feedViaSecond = await FeedAsync(viaSecond, another.GetProperty("eventId").GetString()!);
            Assert.Equal(feedViaFirst.GetRawText(), feedViaSecond.GetRawText());
            var cursor = feedViaFirst.GetProperty("items")[0].GetProperty("cursor").GetString();
            var after = await viaSecond.SendAsync(HttpMethod.Get, $"api/v1/events?after={cursor}", null, HttpStatusCode.OK);
            Assert.Equal(another.GetProperty("eventId").GetString(), Assert.Single(after.GetProperty("items").EnumerateArray()).GetProperty("eventId").GetString());
        }

        // One cluster, not two clusters of one: both silos are Active (status 3) members of the same deployment.
        await using (var connection = new Npgsql.NpgsqlConnection(settings["ConnectionStrings__Webhooks"]))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("SELECT COUNT(*) FROM OrleansMembershipTable WHERE DeploymentId = @id AND Status = 3", connection);
            command.Parameters.AddWithValue("id", settings["Webhooks__Cluster__ClusterId"]);
            Assert.Equal(2L, (long)(await command.ExecuteScalarAsync())!);
        }

        using var http = new HttpClient { BaseAddress = second.Address };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("health/ready")).StatusCode);
    }

    public void Dispose() => Directory.Delete(_dataFolder, recursive: true);

    /// <summary>The feed once it holds <paramref name="eventId"/> (the servers' own short transactions may hold it back a moment).</summary>
    private static async Task<System.Text.Json.JsonElement> FeedAsync(ApiClient client, string eventId)
    {
        for (var attempt = 0; ; attempt++)
        {
            var feed = await client.SendAsync(HttpMethod.Get, "api/v1/events", null, HttpStatusCode.OK);
            if (feed.GetProperty("items").EnumerateArray().Any(e => e.GetProperty("eventId").GetString() == eventId) || attempt == 100)
            {
                return feed;
            }

            await Task.Delay(100);
        }
    }
}
