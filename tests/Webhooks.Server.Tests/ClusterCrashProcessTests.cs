using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Webhooks.Testing;
using Xunit.Abstractions;

namespace Webhooks.Server.Tests;

/// <summary>
/// Production mode (issue #4): three server processes on one PostgreSQL, a stream of events published through
/// one of them, and another killed with SIGKILL mid-stream. Every event that got a 202 is still delivered to every
/// listener it matched, at least once; duplicates are allowed and reported.
/// </summary>
public sealed class ClusterCrashProcessTests(ITestOutputHelper output) : IDisposable
{
    private const int Events = 300;
    private const int Publishers = 4;
    private const string Created = "entitlement.created";
    private const string Updated = "entitlement.updated";

    // Generous: the dead silo must be voted out (Orleans' default failure detection, tens of seconds), then the
    // reminders of the listeners it hosted fire on the survivors; this only bounds a broken test.
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(150);

    // Even listeners want entitlement.created only; odd ones want entitlement.updated too.
    private static readonly string[][] Subscriptions = [.. Enumerable.Range(0, 5).Select(i => i % 2 == 0 ? new[] { Created } : [Created, Updated])];

    private readonly string _dataFolder = Directory.CreateTempSubdirectory("webhooks-crash-").FullName;

    [Fact]
    public async Task Publish_WhenAnotherSiloIsKilledMidStream_DeliversEveryAcceptedEvent()
    {
        var settings = await ServerSettings.PostgreSqlClusterAsync(_dataFolder);
        foreach (var (key, value) in ServerSettings.FastRetries)
        {
            settings[key] = value;
        }

        var listenerPort = FreePort.Next();
        await using var listener = await TestReceiver.StartAsync(listenerPort);
        await using var publishing = await ServerProcess.StartAsync(_dataFolder, settings);
        await using var victim = await ServerProcess.StartAsync(_dataFolder, settings);
        await using var bystander = await ServerProcess.StartAsync(_dataFolder, settings);

        var (_, client) = await ApiClient.CreateTenantAsync(publishing.Address, "Crash Ltd");
        using (client)
        {
            for (var i = 0; i < Subscriptions.Length; i++)
            {
                await client.SendAsync(HttpMethod.Post, "api/v1/account/webhooks",
                    new { uri = $"http://127.0.0.1:{listenerPort}/hook?listener={i}", subscriptions = Subscriptions[i] }, HttpStatusCode.Created);
            }

            var stream = new EventStream(client, killAfter: Events / 3, kill: victim.KillAsync);
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Publishers).Select(_ => stream.PublishAsync()));
            var published = clock.Elapsed;
            Assert.True(stream.Killed, "the victim was never killed: too few events were accepted");
            await stream.Kill!;

            var expected = stream.Accepted
                .SelectMany(e => Listening(e.Value).Select(l => (Listener: l, EventId: e.Key)))
                .ToHashSet();
            var missing = await WaitForDeliveriesAsync(listener, expected);
            var converged = clock.Elapsed;

            var received = Received(listener).Where(expected.Contains).ToList();
            var duplicates = received.Count - received.Distinct().Count();
            var ofRefused = Received(listener).Count(d => !expected.Contains(d));
            output.WriteLine($"Events: {Events} published by {Publishers} publishers in {published.TotalSeconds:F1} s; {stream.Accepted.Count} accepted (202), " +
                $"{stream.Refused.Values.Sum()} refused [{string.Join(", ", stream.Refused.Select(r => $"{r.Key}: {r.Value}"))}]; victim killed after {Events / 3} accepted.");
            output.WriteLine($"Deliveries of accepted events: {expected.Count} expected, {received.Count} received, {duplicates} duplicates, {missing.Count} missing " +
                $"(and {ofRefused} of refused events, which may go either way); " +
                $"converged {converged.TotalSeconds:F1} s after the first publish ({(converged - published).TotalSeconds:F1} s after the last).");

            Assert.Empty(missing);
        }
    }

    public void Dispose() => Directory.Delete(_dataFolder, recursive: true);

    private static IEnumerable<string> Listening(string eventCode) =>
        Enumerable.Range(0, Subscriptions.Length).Where(i => Subscriptions[i].Contains(eventCode)).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static IEnumerable<(string Listener, string EventId)> Received(TestReceiver listener) =>
        listener.Deliveries.Select(d => (d.Listener ?? "", d.Body.GetProperty("eventId").GetString()!));

    /// <summary>Polls the listener until every expected (listener, event) pair has arrived; returns what is still missing.</summary>
    private static async Task<HashSet<(string Listener, string EventId)>> WaitForDeliveriesAsync(TestReceiver listener, HashSet<(string Listener, string EventId)> expected)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var missing = expected.ToHashSet();
            missing.ExceptWith(Received(listener));
            if (missing.Count == 0 || deadline.Elapsed > Convergence)
            {
                return missing;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>
    /// Events published from several tasks at once, entitlement.created and .updated in turn; once
    /// <c>killAfter</c> have been accepted, <c>kill</c> runs while the others keep publishing.
    /// </summary>
    private sealed class EventStream(ApiClient client, int killAfter, Func<Task> kill)
    {
        private int _next = -1;
        private int _accepted;

        /// <summary>Event id → event code of every publish that got a 202.</summary>
        public ConcurrentDictionary<string, string> Accepted { get; } = new();

        /// <summary>How the other publishes ended: a status code, or the kind of exception.</summary>
        public ConcurrentDictionary<string, int> Refused { get; } = new();

        public Task? Kill { get; private set; }

        public bool Killed => Kill is not null;

        public async Task PublishAsync()
        {
            for (var n = Interlocked.Increment(ref _next); n < Events; n = Interlocked.Increment(ref _next))
            {
                var code = n % 2 == 0 ? Created : Updated;
                try
                {
                    var (status, body) = await client.SendForStatusAsync(HttpMethod.Post, "api/v1/events", new { eventCode = code, resourceId = $"ent_{n}" });
                    if (status != HttpStatusCode.Accepted)
                    {
                        Refused.AddOrUpdate(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), 1, (_, c) => c + 1);
                        continue;
                    }

                    var accepted = JsonDocument.Parse(body).RootElement;
                    Assert.Equal(Listening(code).Count(), accepted.GetProperty("matchedWebhooks").GetInt32());
                    Accepted[accepted.GetProperty("eventId").GetString()!] = code;
                    if (Interlocked.Increment(ref _accepted) == killAfter)
                    {
                        Kill = kill();
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    Refused.AddOrUpdate(ex.GetType().Name, 1, (_, c) => c + 1);
                }
            }
        }
    }
}
