using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using CsCheck;
using Webhooks.Api.Tests.Delivery;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Testing;
using Xunit.Abstractions;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Fuzzing;

/// <summary>
/// Thousands of generated requests at every documented endpoint: none may get a 5xx, every 4xx is a problem body, the
/// server stays healthy, and a tenant the fuzzer holds no key for is exactly as it was.
/// Reproduce a run with <c>WEBHOOKS_FUZZ_SEED=&lt;the printed seed&gt;</c>.
/// </summary>
[Collection(ResourceHeavy.Name)]
public sealed class ApiFuzzTests(FuzzServer server, ITestOutputHelper output) : ApiTest(server), IClassFixture<FuzzServer>
{
    public const string SeedVariable = "WEBHOOKS_FUZZ_SEED";
    private const int HttpClientRequests = 4000;
    private const int RawRequests = 400;
    private const int Parallelism = 8;

    [Fact]
    public async Task Fuzz_EveryEndpoint_NeverFails_AnswersProblems_AndLeavesOtherTenantsAlone()
    {
        var seed = Seed();
        output.WriteLine($"{SeedVariable}={seed}");
        Console.WriteLine($"API fuzzing: {SeedVariable}={seed}");
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint(200);

        var (untouched, untouchedListeners, untouchedSecret) = await UntouchedTenantAsync(endpoint);
        var before = await TenantSnapshot.TakeAsync(untouched.Client, Server.Platform, untouched.Id, untouchedListeners);
        var targets = await FuzzedTenantAsync(endpoint, untouched.Id, untouchedListeners[0]);
        var operations = await ApiSurface.ReadAsync(Server.Platform);
        Assert.Empty(ApiSurface.Known.Except(operations.Select(o => o.ToString())));

        // Generated lazily, one at a time in order (the parallel loop draws under a lock), so the same seed gives the
        // same requests and only those in flight are held in memory.
        var generators = new FuzzRequests(targets, operations);
        var random = new PCG(1, seed);
        var requests = Enumerable.Range(0, HttpClientRequests).Select(_ => Next(generators.Request, random))
            .Concat(Enumerable.Range(0, RawRequests).Select(_ => Next(generators.RawRequest, random)));

        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        using var client = Server.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(30);
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (request, _) =>
        {
            try
            {
                var response = request.Raw ? await RawHttp.SendAsync(Server.BaseAddress, request) : await SendAsync(client, request);
                statuses.AddOrUpdate(response.Status, 1, (_, n) => n + 1);
                if (FuzzOracle.Check(request, response) is { } failure)
                {
                    failures.Enqueue($"{failure} <- {request}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or System.Net.Sockets.SocketException or InvalidOperationException or OperationCanceledException)
            {
                failures.Enqueue($"no response ({e.GetType().Name}: {e.GetBaseException().Message}) <- {request}");
            }
        });
        clock.Stop();

        output.WriteLine($"{HttpClientRequests + RawRequests} requests ({RawRequests} raw) to {operations.Count} operations in {clock.Elapsed.TotalSeconds:F1} s; statuses: "
            + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        Assert.True(failures.IsEmpty, $"{failures.Count} bad answers ({SeedVariable}={seed}):\n" + string.Join('\n', failures.Take(25)));

        await AssertStillServesAsync(targets);
        Assert.Equal(before, await TenantSnapshot.TakeAsync(untouched.Client, Server.Platform, untouched.Id, untouchedListeners));

        // Nor was its secret rotated, which no GET shows: the next delivery is signed with the original secret alone.
        var (eventId, _) = await untouched.Client.PublishAsync("customer.updated");
        var delivered = Assert.Single(await endpoint.WaitForAsync(eventId));
        Assert.True(delivered.Verifies(Assert.Single(delivered.StandardSignatures()), untouchedSecret));
    }

    private static ulong Seed() =>
        Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } text
            ? ulong.Parse(text, CultureInfo.InvariantCulture)
            : (ulong)Random.Shared.NextInt64(long.MaxValue);

    private static T Next<T>(Gen<T> gen, PCG random) => gen.Generate(random, null!, out Size _);

    private static async Task<FuzzResponse> SendAsync(HttpClient client, FuzzRequest request)
    {
        using var message = request.ToHttpRequestMessage(client.BaseAddress!);

        // Kestrel may close a connection after a hostile request; a fresh connection each time keeps that from
        // failing the next, unrelated request, and still proves that every request gets an answer.
        message.Headers.ConnectionClose = true;
        using var response = await client.SendAsync(message);
        var body = await response.Content.ReadAsByteArrayAsync();
        return new FuzzResponse((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
    }

    /// <summary>A tenant with two listeners that have each delivered, and a test event: state the fuzzing must not change. Returns the first listener's secret.</summary>
    private async Task<(TestTenant Tenant, string[] ListenerIds, string Secret)> UntouchedTenantAsync(ScriptedEndpoint endpoint)
    {
        var tenant = await Server.CreateTenantAsync("Untouched");
        var first = await tenant.Client.CreateListenerAsync(endpoint.Uri.ToString(), "*");
        var secret = first.String("secret");
        var ids = new[]
        {
            first.String("id"),
            (await tenant.Client.CreateListenerAsync(endpoint.Uri.ToString(), "entitlement.created", "customer.created")).String("id"),
        };
        var (eventId, _) = await tenant.Client.PublishAsync("entitlement.created");
        using var test = await tenant.Client.PostAsync($"{Route}/{ids[1]}/test", null);
        Assert.Equal(HttpStatusCode.NoContent, test.StatusCode);
        foreach (var id in ids)
        {
            await tenant.Client.WaitForStatusAsync(id, eventId, "succeeded");
        }

        // The test event has an id of its own: wait until nothing in that log is pending any more.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await tenant.Client.DeliveriesAsync(ids[1])).GetProperty("items").EnumerateArray() is var items
            && (items.Count() < 2 || items.Any(d => d.String("status") == "pending")))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(25), deadline.Token);
        }

        return (tenant, ids, secret);
    }

    private async Task<FuzzTargets> FuzzedTenantAsync(ScriptedEndpoint endpoint, string untouchedTenantId, string untouchedListenerId)
    {
        var tenant = await Server.CreateTenantAsync("Fuzzed");
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add((await tenant.Client.CreateListenerAsync(endpoint.Uri.ToString(), "*")).String("id"));
        }

        var (eventId, _) = await tenant.Client.PublishAsync("entitlement.created");
        var managed = await Server.CreateTenantAsync("Managed"); // DELETE api/v1/tenants/{tenantId} is fuzzed on this one
        return new FuzzTargets(ApiServer.PlatformKey, tenant.Id, tenant.ApiKey, ids, eventId, endpoint.Uri.ToString(), untouchedTenantId, untouchedListenerId, managed.Id);
    }

    /// <summary>Alive, and the ordinary calls still work: create and read a listener, as the tenant and as the platform.</summary>
    private async Task AssertStillServesAsync(FuzzTargets targets)
    {
        using var live = await Server.Platform.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var tenant = Server.CreateClient(targets.TenantKey);
        using var platform = Server.CreateClient(ApiServer.PlatformKey, targets.TenantId);
        foreach (var client in new[] { tenant, platform })
        {
            var created = await client.CreateListenerAsync();
            var read = await client.GetListenerAsync(created.String("id"));
            Assert.Equal(created.String("uri"), read.String("uri"));
        }

        var fresh = await Server.CreateTenantAsync("After fuzzing");
        await fresh.Client.CreateListenerAsync();
    }
}
