using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Webhooks.Testing;
using Xunit.Abstractions;

namespace Webhooks.Server.Tests;

/// <summary>
/// The database going away is transient, not a bug: while PostgreSQL is down, publishes get 503 with
/// <c>Retry-After</c> and a problem body (never 500), <c>/health/ready</c> says not ready, nothing that got a 202 is
/// lost, and publishing resumes within seconds of the database's return.
/// </summary>
public sealed class DatabaseOutageTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan ResumeWithin = TimeSpan.FromSeconds(5);

    private readonly string _dataFolder = Directory.CreateTempSubdirectory("webhooks-outage-").FullName;

    [Fact]
    public async Task PublishingWhilePostgreSqlIsDown_Answers503WithRetryAfter_LosesNothing_AndResumes()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var listenerPort = FreePort.Next();
        await using var listener = await TestReceiver.StartAsync(listenerPort);
        await using var server = await ServerProcess.StartAsync(_dataFolder, new Dictionary<string, string>
        {
            ["Webhooks__Storage__Provider"] = "PostgreSql",
            ["ConnectionStrings__Webhooks"] = await postgres.CreateDatabaseAsync(),
            ["Webhooks__Cluster__AdvertisedAddress"] = "127.0.0.1",
        });
        var (tenantId, tenant) = await ApiClient.CreateTenantAsync(server.Address, "Outage Ltd");
        using (tenant)
        {
            await tenant.SendAsync(HttpMethod.Post, "api/v1/account/webhooks",
                new { uri = $"http://127.0.0.1:{listenerPort}/hook", subscriptions = new[] { "entitlement.created" } }, HttpStatusCode.Created);
        }

        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(60) };
        // The platform publishes: its key has no rate limit, so every refusal below is the outage's.
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiClient.DevelopmentPlatformKey);
        http.DefaultRequestHeaders.Add("N-TenantId", tenantId);
        var clock = Stopwatch.StartNew();
        var answers = new ConcurrentQueue<Answer>();
        using var stop = new CancellationTokenSource();
        var publishers = Enumerable.Range(0, 4).Select(worker => PublishUntilAsync(http, worker, clock, answers, stop.Token)).ToArray();

        await WaitUntilAcceptedAsync(answers, 100); // publishing runs normally before the outage
        var pausedAt = clock.Elapsed;
        await postgres.PauseAsync();
        await Task.Delay(Outage / 2);
        var readyDuringOutage = await ReadyStatusAsync(http);
        await Task.Delay(Outage / 2);
        await postgres.ResumeAsync();
        var resumedAt = clock.Elapsed;
        var readyAgainAfter = await WaitUntilReadyAsync(http, clock);
        await Task.Delay(ResumeWithin + TimeSpan.FromSeconds(5));
        await stop.CancelAsync();
        await Task.WhenAll(publishers);

        var all = answers.ToArray();
        output.WriteLine($"{all.Length} publishes: " + string.Join(", ", all.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"))
            + $"; outage {pausedAt.TotalSeconds:F1}–{resumedAt.TotalSeconds:F1} s; ready again {(readyAgainAfter - resumedAt).TotalSeconds:F1} s after the return");

        Assert.All(all, a => Assert.True(a.Status is 202 or 503, $"a publish got {a.Status}: {a.Body}"));
        var refused = all.Where(a => a.Status == 503).ToArray();
        Assert.NotEmpty(refused); // the outage was seen, or this test proves nothing
        Assert.All(refused, a =>
        {
            Assert.True(a.RetryAfter is > 0, $"a 503 without Retry-After: {a.Body}");
            Assert.Equal("application/problem+json", a.MediaType);
            using var problem = JsonDocument.Parse(a.Body);
            Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
            Assert.Contains(problem.RootElement.GetProperty("errorCode").GetString(), new[] { "StorageUnavailable", "Unavailable" });
        });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyDuringOutage);
        Assert.True(readyAgainAfter - resumedAt < ResumeWithin, $"ready again only {(readyAgainAfter - resumedAt).TotalSeconds:F1} s after the database's return");

        // Publishing resumes: every publish sent once the database has been back for a few seconds is accepted.
        var settled = all.Where(a => a.StartedAt >= resumedAt + ResumeWithin).ToArray();
        Assert.NotEmpty(settled);
        Assert.All(settled, a => Assert.Equal(202, a.Status));

        // Accepted means durable: every 202, before, during and after the outage, reaches the listener.
        var accepted = all.Where(a => a.Status == 202).Select(a => a.EventId).ToHashSet(StringComparer.Ordinal);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (!accepted.IsSubsetOf(listener.Received.Select(r => r.GetProperty("eventId").GetString()!)))
        {
            await Task.Delay(200, deadline.Token);
        }
    }

    public void Dispose()
    {
        Directory.Delete(_dataFolder, recursive: true);
    }

    private static async Task PublishUntilAsync(HttpClient http, int worker, Stopwatch clock, ConcurrentQueue<Answer> answers, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var eventId = $"evt_outage_{worker}_{i}";
            var startedAt = clock.Elapsed;
            using var response = await http.PostAsJsonAsync("api/v1/events",
                new { eventId, eventCode = "entitlement.created", resourceId = $"ent_{worker}", payload = new { i } }, CancellationToken.None);
            var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
            answers.Enqueue(new Answer(eventId, startedAt, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType,
                (int?)response.Headers.RetryAfter?.Delta?.TotalSeconds, body));
            await Task.Delay(25, CancellationToken.None); // about 150 publishes a second from the four workers
        }
    }

    private static async Task WaitUntilAcceptedAsync(ConcurrentQueue<Answer> answers, int count)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (answers.Count(a => a.Status == 202) < count)
        {
            await Task.Delay(50, deadline.Token);
        }
    }

    private static async Task<HttpStatusCode> ReadyStatusAsync(HttpClient http)
    {
        using var response = await http.GetAsync("health/ready");
        return response.StatusCode;
    }

    private static async Task<TimeSpan> WaitUntilReadyAsync(HttpClient http, Stopwatch clock)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await ReadyStatusAsync(http) != HttpStatusCode.OK)
        {
            await Task.Delay(100, deadline.Token);
        }

        return clock.Elapsed;
    }

    private sealed record Answer(string EventId, TimeSpan StartedAt, int Status, string? MediaType, int? RetryAfter, string Body);
}
