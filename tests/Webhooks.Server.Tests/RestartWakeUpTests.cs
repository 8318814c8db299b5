using System.Diagnostics;
using System.Net;
using Webhooks.Testing;
using Xunit.Abstractions;

namespace Webhooks.Server.Tests;

/// <summary>
/// Issue #13: after a restart, pending deliveries go out within seconds, not at the listener's next wake-up
/// reminder tick. These servers run with the default wake interval (1 minute) and a retry schedule that keeps
/// every delivery due, so only something that wakes the listener at start-up can deliver within the bound.
/// </summary>
public sealed class RestartWakeUpTests(ITestOutputHelper output) : IDisposable
{
    private const int Events = 20;

    // The acceptance criterion, measured from the moment the restarted server answers.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    // How long the test watches, well past the bound, so a failure reports how late the deliveries were.
    private static readonly TimeSpan Watch = TimeSpan.FromSeconds(75);

    private readonly string _dataFolder = Directory.CreateTempSubdirectory("webhooks-wake-").FullName;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PendingDeliveries_AfterSqliteRestart_GoOutWithinSeconds(bool kill) =>
        await RestartAndMeasureAsync(DueRetries(), kill);

    [Fact]
    public async Task PendingDeliveries_AfterPostgreSqlRestart_GoOutWithinSeconds()
    {
        var settings = await ServerSettings.PostgreSqlClusterAsync(_dataFolder);
        foreach (var (key, value) in DueRetries())
        {
            settings[key] = value;
        }

        await RestartAndMeasureAsync(settings, kill: false);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataFolder, recursive: true);
    }

    /// <summary>
    /// Retries every second for a minute and no circuit breaker (it would hold most first attempts back for its
    /// break), but the default wake interval.
    /// </summary>
    internal static Dictionary<string, string> DueRetries() => Enumerable.Range(0, 60)
        .Select(i => KeyValuePair.Create($"Webhooks__Delivery__RetrySchedule__{i}", "00:00:01"))
        .Append(KeyValuePair.Create("Webhooks__Delivery__CircuitBreakerFailures", "0"))
        .ToDictionary();

    /// <summary>Creates one listener on <paramref name="listenerPort"/>, publishes <paramref name="count"/> events to it, and returns their ids and the listener's.</summary>
    internal static async Task<(string ListenerId, string[] EventIds)> PublishAsync(ApiClient client, int listenerPort, int count)
    {
        var created = await client.SendAsync(HttpMethod.Post, "api/v1/account/webhooks",
            new { uri = $"http://127.0.0.1:{listenerPort}/hook?listener={Guid.NewGuid():N}", subscriptions = new[] { "entitlement.created" } }, HttpStatusCode.Created);
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            var accepted = await client.SendAsync(HttpMethod.Post, "api/v1/events",
                new { eventCode = "entitlement.created", resourceId = $"ent_{i}" }, HttpStatusCode.Accepted);
            ids[i] = accepted.GetProperty("eventId").GetString()!;
        }

        return (created.GetProperty("id").GetString()!, ids);
    }

    /// <summary>Waits until every delivery of the listener has a failed attempt on record, so each is pending and due again.</summary>
    internal static async Task WaitForFailedAttemptsAsync(ApiClient client, string listenerId, int count)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var page = await client.SendAsync(HttpMethod.Get, $"api/v1/account/webhooks/{listenerId}/deliveries?pageSize=100", null, HttpStatusCode.OK);
            var items = page.GetProperty("items");
            if (items.GetArrayLength() == count && items.EnumerateArray().All(d => d.GetProperty("attempts").GetArrayLength() >= 1))
            {
                return;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "the first attempts were not recorded");
            await Task.Delay(100);
        }
    }

    /// <summary>Watches the listener until every event has arrived (or the watch ends) and returns how long that took.</summary>
    internal static async Task<TimeSpan> TimeUntilDeliveredAsync(TestReceiver listener, IEnumerable<string> eventIds, Stopwatch clock, TimeSpan watch)
    {
        var missing = eventIds.ToHashSet(StringComparer.Ordinal);
        while (true)
        {
            missing.ExceptWith(listener.Received.Select(r => r.GetProperty("eventId").GetString()!));
            if (missing.Count == 0 || clock.Elapsed > watch)
            {
                Assert.True(missing.Count == 0, $"{missing.Count} deliveries still missing {clock.Elapsed.TotalSeconds:F1} s after the restart");
                return clock.Elapsed;
            }

            await Task.Delay(50);
        }
    }

    private async Task RestartAndMeasureAsync(IReadOnlyDictionary<string, string> settings, bool kill)
    {
        var listenerPort = FreePort.Next();
        string[] eventIds;
        await using (var server = await ServerProcess.StartAsync(_dataFolder, settings))
        {
            var (_, client) = await ApiClient.CreateTenantAsync(server.Address, "Wake Ltd");
            using (client)
            {
                (var listenerId, eventIds) = await PublishAsync(client, listenerPort, Events);
                await WaitForFailedAttemptsAsync(client, listenerId, Events);
            }

            await (kill ? server.KillAsync() : server.StopAsync());
        }

        await using var listener = await TestReceiver.StartAsync(listenerPort);
        await using var restarted = await ServerProcess.StartAsync(_dataFolder, settings);
        var clock = Stopwatch.StartNew();

        var elapsed = await TimeUntilDeliveredAsync(listener, eventIds, clock, Watch);
        output.WriteLine($"All {Events} pending deliveries made {elapsed.TotalSeconds:F1} s after the restarted server answered.");
        output.WriteLine(string.Join('\n', restarted.Output.Split('\n').Where(l => l.Contains("pending deliveries", StringComparison.Ordinal))));
        Assert.True(elapsed <= Bound, $"all {Events} pending deliveries took {elapsed.TotalSeconds:F1} s after the restart (bound {Bound.TotalSeconds} s)");
    }
}
