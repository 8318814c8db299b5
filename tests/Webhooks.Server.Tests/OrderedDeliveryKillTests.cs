using System.Net;
using Webhooks.Testing;

namespace Webhooks.Server.Tests;

/// <summary>
/// Ordered delivery survives a kill -9: a listener ordered per resource, failing 30 % of its requests at random, sees each
/// of 20 resources' 50 events in acceptance order, each only once the one before it was accepted, across a kill of the
/// server mid-stream and a restart on the same database; a delivery it had accepted may come again (at-least-once), but
/// never once a later one of its resource has come.
/// </summary>
public sealed class OrderedDeliveryKillTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    private readonly string _dataFolder = Directory.CreateTempSubdirectory("webhooks-ordered-").FullName;

    /// <summary>Thirty fast retries (every event gets through a 30 % failure rate), no breaker, no key rate limit, a quick wake-up.</summary>
    private static Dictionary<string, string> Settings() => Enumerable.Range(0, 30)
        .Select(i => KeyValuePair.Create($"Webhooks__Delivery__RetrySchedule__{i}", "00:00:00.020"))
        .Append(KeyValuePair.Create("Webhooks__Delivery__JitterRatio", "0"))
        .Append(KeyValuePair.Create("Webhooks__Delivery__CircuitBreakerFailures", "0"))
        .Append(KeyValuePair.Create("Webhooks__Delivery__WakeInterval", "00:00:02"))
        .Append(KeyValuePair.Create("Webhooks__RateLimits__TenantKeyTokenLimit", "0"))
        .ToDictionary();

    [Fact]
    public async Task ResourceOrdering_AcrossAKill9MidStream_HoldsForEveryResource()
    {
        await using var receiver = await TestReceiver.StartAsync(new TestReceiverOptions { KeepRequests = false });
        var check = new ResourceOrderCheck(resources: 20, eventsPerResource: 50, failureRate: 0.3, seed: 9);
        var endpoint = receiver.AnsweringEndpoint(check.Answer);
        string key;
        await using (var server = await ServerProcess.StartAsync(_dataFolder, Settings()))
        {
            var (_, client) = await ApiClient.CreateTenantAsync(server.Address, "Ordered Ltd");
            using (client)
            {
                key = client.Key;
                var id = (await client.SendAsync(HttpMethod.Post, "api/v1/account/webhooks",
                    new { uri = endpoint.Uri.ToString(), subscriptions = new[] { "*" }, ordering = "resource" }, HttpStatusCode.Created)).GetProperty("id").GetString()!;

                // Every event accepted first, parked while the listener is disabled, so that the stream is in full
                // flow, not still being published, when the server dies; enabling replays them in acceptance order.
                await client.SendAsync(HttpMethod.Post, $"api/v1/account/webhooks/{id}/disable", null, HttpStatusCode.OK);
                await Task.WhenAll(check.Resources.Select(async resource =>
                {
                    for (var n = 0; n < check.EventsPerResource; n++)
                    {
                        await client.SendAsync(HttpMethod.Post, "api/v1/events",
                            new { eventCode = "entitlement.updated", resourceId = resource, payload = ResourceOrderCheck.Payload(n) }, HttpStatusCode.Accepted);
                    }
                }));
                await client.SendAsync(HttpMethod.Post, $"api/v1/account/webhooks/{id}/enable", null, HttpStatusCode.OK);
            }

            await WaitUntilAsync(() => check.AcceptedTotal >= 300 || check.Violations.Count > 0, "a third of the events are accepted");
            await server.KillAsync();
        }

        var acceptedAtTheKill = check.AcceptedTotal;
        await using var restarted = await ServerProcess.StartAsync(_dataFolder, Settings());
        await check.WaitForAllAsync(Limit);

        Assert.Empty(check.Violations);
        Assert.InRange(acceptedAtTheKill, 300, 999); // killed mid-stream
        Assert.Equal(1_000, check.AcceptedTotal);
        using var tenant = new ApiClient(restarted.Address, key);
        var listener = (await tenant.SendAsync(HttpMethod.Get, "api/v1/account/webhooks", null, HttpStatusCode.OK)).GetProperty("items")[0];
        Assert.Equal("resource", listener.GetProperty("ordering").GetString());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataFolder, recursive: true);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(Limit);
        while (!condition())
        {
            Assert.False(deadline.IsCancellationRequested, $"Timed out waiting until {what}.");
            await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
        }
    }
}
