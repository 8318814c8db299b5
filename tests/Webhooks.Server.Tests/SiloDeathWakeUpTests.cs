using System.Diagnostics;
using System.Net;
using Webhooks.Testing;
using Xunit.Abstractions;

namespace Webhooks.Server.Tests;

/// <summary>
/// Issue #13, in a cluster: listeners with pending deliveries live on a silo that is killed with SIGKILL. Once the
/// cluster has declared it dead, the survivor sends their deliveries within seconds, not at their wake-up
/// reminders' next tick (the default wake interval, 1 minute).
/// </summary>
public sealed class SiloDeathWakeUpTests(ITestOutputHelper output) : IDisposable
{
    private const int Listeners = 8;
    private const int Events = 3;

    // From the moment the death is on record in the membership table.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    // Orleans' default failure detection takes tens of seconds; this only bounds a broken test.
    private static readonly TimeSpan Watch = TimeSpan.FromSeconds(150);

    private readonly string _dataFolder = Directory.CreateTempSubdirectory("webhooks-death-").FullName;

    [Fact]
    public async Task PendingDeliveries_OfListenersOnAKilledSilo_GoOutFromTheSurvivorWithinSecondsOfItsDeath()
    {
        var settings = await ServerSettings.PostgreSqlClusterAsync(_dataFolder);
        foreach (var (key, value) in RestartWakeUpTests.DueRetries())
        {
            settings[key] = value;
        }

        var listenerPort = FreePort.Next();
        // The victim starts alone, so every listener is activated there; the survivor joins only afterwards.
        await using var victim = await ServerProcess.StartAsync(_dataFolder, settings);
        var expected = new HashSet<(string Listener, string EventId)>();
        var (_, client) = await ApiClient.CreateTenantAsync(victim.Address, "Death Ltd");
        using (client)
        {
            var ids = new List<string>();
            for (var i = 0; i < Listeners; i++)
            {
                var created = await client.SendAsync(HttpMethod.Post, "api/v1/account/webhooks",
                    new { uri = $"http://127.0.0.1:{listenerPort}/hook?listener={i}", subscriptions = new[] { "entitlement.created" } }, HttpStatusCode.Created);
                ids.Add(created.GetProperty("id").GetString()!);
            }

            for (var e = 0; e < Events; e++)
            {
                var accepted = await client.SendAsync(HttpMethod.Post, "api/v1/events",
                    new { eventCode = "entitlement.created", resourceId = $"ent_{e}" }, HttpStatusCode.Accepted);
                Assert.Equal(Listeners, accepted.GetProperty("matchedWebhooks").GetInt32());
                var eventId = accepted.GetProperty("eventId").GetString()!;
                expected.UnionWith(Enumerable.Range(0, Listeners).Select(i => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), eventId)));
            }

            foreach (var id in ids)
            {
                await RestartWakeUpTests.WaitForFailedAttemptsAsync(client, id, Events);
            }
        }

        await using var survivor = await ServerProcess.StartAsync(_dataFolder, settings);
        // Silos already on record as dead (a start that was retried leaves one) are not the victim's death.
        var deadBefore = await DeadSilosAsync(settings);
        await victim.KillAsync();
        await using var listener = await TestReceiver.StartAsync(listenerPort);
        var clock = Stopwatch.StartNew();

        var declaredDead = await WaitForDeathAsync(settings, deadBefore, clock);
        var deliveredAt = await WaitForDeliveriesAsync(listener, expected, clock);
        output.WriteLine($"Declared dead {declaredDead.TotalSeconds:F1} s after the kill; all {expected.Count} deliveries made {deliveredAt.TotalSeconds:F1} s after it, " +
            $"{(deliveredAt - declaredDead).TotalSeconds:F1} s after the death.");
        Assert.True(deliveredAt - declaredDead <= Bound,
            $"the deliveries took {(deliveredAt - declaredDead).TotalSeconds:F1} s after the death was declared (bound {Bound.TotalSeconds} s)");
    }

    public void Dispose() => Directory.Delete(_dataFolder, recursive: true);

    /// <summary>Polls the membership table until one more silo of the cluster than <paramref name="before"/> is Dead; returns when that was seen.</summary>
    private static async Task<TimeSpan> WaitForDeathAsync(Dictionary<string, string> settings, long before, Stopwatch clock)
    {
        while (await DeadSilosAsync(settings) <= before)
        {
            Assert.True(clock.Elapsed < Watch, "the killed silo was never declared dead");
            await Task.Delay(100);
        }

        return clock.Elapsed;
    }

    /// <summary>How many silos of the cluster the membership table holds as Dead (status 6).</summary>
    private static async Task<long> DeadSilosAsync(Dictionary<string, string> settings)
    {
        await using var connection = new Npgsql.NpgsqlConnection(settings["ConnectionStrings__Webhooks"]);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT COUNT(*) FROM OrleansMembershipTable WHERE DeploymentId = @id AND Status = 6", connection);
        command.Parameters.AddWithValue("id", settings["Webhooks__Cluster__ClusterId"]);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<TimeSpan> WaitForDeliveriesAsync(TestReceiver listener, HashSet<(string Listener, string EventId)> expected, Stopwatch clock)
    {
        var missing = expected.ToHashSet();
        while (true)
        {
            missing.ExceptWith(listener.Deliveries.Select(d => (d.Listener ?? "", d.Body.GetProperty("eventId").GetString()!)));
            if (missing.Count == 0 || clock.Elapsed > Watch)
            {
                Assert.True(missing.Count == 0, $"{missing.Count} deliveries still missing {clock.Elapsed.TotalSeconds:F1} s after the kill");
                return clock.Elapsed;
            }

            await Task.Delay(50);
        }
    }
}
