using System.Net;
using Webhooks.Testing;

namespace Webhooks.Server.Tests;

/// <summary>
/// Accepted means durable, on the embedded store too: an event accepted while its listener is down survives a
/// kill -9 of the server and is delivered after the restart, with nobody calling the listener's grain.
/// </summary>
public sealed class PendingDeliveryRestartTests : IDisposable
{
    private readonly string _dataFolder = Directory.CreateTempSubdirectory("webhooks-pending-").FullName;

    [Fact]
    public async Task PendingDeliveries_AfterKill9AndRestart_AreDelivered()
    {
        var listenerPort = FreePort.Next();
        string key;
        string[] eventIds;
        await using (var server = await ServerProcess.StartAsync(_dataFolder, ServerSettings.FastRetries))
        {
            var (_, client) = await ApiClient.CreateTenantAsync(server.Address, "Pending Ltd");
            using (client)
            {
                key = client.Key;
                await client.SendAsync(HttpMethod.Post, "api/v1/account/webhooks",
                    new { uri = $"http://127.0.0.1:{listenerPort}/hook", subscriptions = new[] { "entitlement.created" } }, HttpStatusCode.Created);
                var ids = new List<string>();
                for (var i = 0; i < 3; i++)
                {
                    var accepted = await client.SendAsync(HttpMethod.Post, "api/v1/events",
                        new { eventCode = "entitlement.created", resourceId = $"ent_{i}", payload = new { seats = i } }, HttpStatusCode.Accepted);
                    Assert.Equal(1, accepted.GetProperty("matchedWebhooks").GetInt32());
                    ids.Add(accepted.GetProperty("eventId").GetString()!);
                }

                eventIds = [.. ids];

                // Kill only once every first attempt has failed on record, so the log after the restart must show
                // that failure followed by the delivery (otherwise the kill may beat the first outcome's write).
                var listenerId = (await client.SendAsync(HttpMethod.Get, "api/v1/account/webhooks", null, HttpStatusCode.OK))
                    .GetProperty("items")[0].GetProperty("id").GetString()!;
                for (var i = 0; ; i++)
                {
                    var recorded = await client.SendAsync(HttpMethod.Get, $"api/v1/account/webhooks/{listenerId}/deliveries", null, HttpStatusCode.OK);
                    if (recorded.GetProperty("items").EnumerateArray().All(d => d.GetProperty("attempts").GetArrayLength() >= 1) || i == 300)
                    {
                        break;
                    }

                    await Task.Delay(50);
                }
            }

            await server.KillAsync();
        }

        await using var listener = await TestReceiver.StartAsync(listenerPort);
        await using var restarted = await ServerProcess.StartAsync(_dataFolder, ServerSettings.FastRetries);

        await listener.WaitForAsync(eventIds.Length, TimeSpan.FromSeconds(60));
        var delivered = listener.Received.Select(r => r.GetProperty("eventId").GetString()).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(eventIds.Order(StringComparer.Ordinal), delivered);

        using var tenant = new ApiClient(restarted.Address, key);
        var webhooks = await tenant.SendAsync(HttpMethod.Get, "api/v1/account/webhooks", null, HttpStatusCode.OK);
        var id = webhooks.GetProperty("items")[0].GetProperty("id").GetString();
        var log = await WaitForSucceededAsync(tenant, id!, eventIds.Length);
        Assert.All(log.EnumerateArray(), d => Assert.True(d.GetProperty("attempts").GetArrayLength() >= 2, "the first attempt failed while the listener was down"));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataFolder, recursive: true);
    }

    private static async Task<System.Text.Json.JsonElement> WaitForSucceededAsync(ApiClient tenant, string listenerId, int count)
    {
        // Receipt and the recorded outcome are two steps; poll the log briefly for the second.
        for (var i = 0; ; i++)
        {
            var page = await tenant.SendAsync(HttpMethod.Get, $"api/v1/account/webhooks/{listenerId}/deliveries?status=succeeded", null, HttpStatusCode.OK);
            if (page.GetProperty("elementsTotal").GetInt32() == count || i == 100)
            {
                Assert.Equal(count, page.GetProperty("elementsTotal").GetInt32());
                return page.GetProperty("items");
            }

            await Task.Delay(100);
        }
    }
}
