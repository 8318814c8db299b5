using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Webhooks.Abstractions.Publishing;

namespace Webhooks.Benchmarks;

/// <summary>Publishes one event with the given id; returns how many listeners it matched.</summary>
internal delegate Task<int> Publish(string eventId);

/// <summary>What one measured phase came to.</summary>
internal sealed record PhaseOutcome(
    string Name,
    long Published,
    long Expected,
    long Delivered,
    long PublishErrors,
    double PublishSeconds,
    double DeliverySeconds,
    bool Drained,
    IReadOnlyList<double> LatenciesMs,
    IReadOnlyDictionary<int, long> DeliveriesByListener,
    IReadOnlyCollection<SampleDelivery> Samples,
    long Unsigned,
    double MeanBodyBytes,
    double CpuSeconds,
    long? DiskWriteBytes,
    ProcessTreeUse? DatabaseUse,
    long AllocatedBytes,
    SchedulingUse Scheduling)
{
    /// <summary>This process's CPU time (server, listener and load generator together) per delivery, in microseconds.</summary>
    public double CpuMicrosecondsPerDelivery => Delivered > 0 ? CpuSeconds * 1e6 / Delivered : 0;

    /// <summary>Bytes this process caused to be written to disk per delivery (<c>/proc/self/io</c>), when the OS reports it.</summary>
    public double? DiskBytesPerDelivery => DiskWriteBytes is { } bytes && Delivered > 0 ? (double)bytes / Delivered : null;

    /// <summary>The PostgreSQL server's CPU time per delivery, in microseconds; null in SQLite mode.</summary>
    public double? DatabaseCpuMicrosecondsPerDelivery => DatabaseUse is { } use && Delivered > 0 ? use.CpuSeconds * 1e6 / Delivered : null;

    /// <summary>Bytes the PostgreSQL server's processes caused to be written to disk per delivery; null in SQLite mode.</summary>
    public double? DatabaseDiskBytesPerDelivery => DatabaseUse is { } use && Delivered > 0 ? (double)use.WriteBytes / Delivered : null;

    /// <summary>Bytes this process allocated on the managed heap per delivery: steadier between runs than CPU time, and what the collector's share of it follows.</summary>
    public double AllocatedBytesPerDelivery => Delivered > 0 ? (double)AllocatedBytes / Delivered : 0;

    /// <summary>Thread-pool work items this process completed per delivery: the hops between threads, the POST's own included.</summary>
    public double WorkItemsPerDelivery => Delivered > 0 ? (double)Scheduling.WorkItems / Delivered : 0;

    /// <summary>Context switches of this process's threads per delivery; null where the OS does not say.</summary>
    public double? ContextSwitchesPerDelivery => Scheduling.ContextSwitches is { } switches && Delivered > 0 ? (double)switches / Delivered : null;

    public double DeliveriesPerSecond => DeliverySeconds > 0 ? Delivered / DeliverySeconds : 0;

    public double EventsAcceptedPerSecond => PublishSeconds > 0 ? Published / PublishSeconds : 0;
}

/// <summary>
/// Drives load: closed loops (a fixed number of requests in flight, as fast as they complete) for the peak, an open
/// loop (a fixed rate, whatever the answers' pace) for the half peak, and the raw ceiling's plain POSTs. Every event
/// id's publish time is taken just before its request, and its deliveries' receipt times come from the listener,
/// both on the same <see cref="Stopwatch"/> clock.
/// </summary>
internal sealed class LoadGenerator(Receipts listener, BenchmarkOptions options, Func<ProcessTreeUse?> databaseUse)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // One for the process, listening from the first phase on.
    private static readonly AllocationCounter Allocations = new();
    private long _sequence;

    /// <summary>A fixed-width event id, so every delivery body of a run has the same size.</summary>
    public string NextEventId(char scenario) => $"bench-{scenario}-{Interlocked.Increment(ref _sequence):D10}";

    /// <summary>The resource id of an event: fixed width, like the event id.</summary>
    public static string ResourceId(string eventId) => "res-" + eventId[^10..];

    /// <summary>A JSON payload of exactly <see cref="BenchmarkOptions.PayloadBytes"/> bytes (at least 12).</summary>
    public string Payload { get; } = $$"""{"data":"{{new string('x', Math.Max(options.PayloadBytes - 11, 1))}}"}""";

    /// <summary>The resource id of an event when the events are spread over <paramref name="resources"/> ids: fixed width too.</summary>
    public static string ResourceId(string eventId, int resources) =>
        "res-" + (long.Parse(eventId[^10..], CultureInfo.InvariantCulture) % resources).ToString("D10", CultureInfo.InvariantCulture);

    /// <summary>
    /// Publishing over the HTTP API, as the platform would: <c>POST api/v1/events</c> with the tenant's key; each event a
    /// resource of its own, or one of <paramref name="resources"/> when given.
    /// </summary>
    public Publish OverHttp(Tenant tenant, string eventCode, int? resources = null) => async eventId =>
    {
        var resourceId = resources is { } count ? ResourceId(eventId, count) : ResourceId(eventId);
        var body = $$"""{"eventId":"{{eventId}}","eventCode":"{{eventCode}}","resourceId":"{{resourceId}}","payload":{{Payload}}}""";
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await tenant.Client.PostAsync("api/v1/events", content);
        await ServerUnderTest.EnsureAsync(response, HttpStatusCode.Accepted);
        using var result = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        return result.RootElement.GetProperty("matchedWebhooks").GetInt32();
    };

    /// <summary>Publishing in-process through the server's own <see cref="IWebhookPublisher"/>.</summary>
    public Publish InProcess(IWebhookPublisher publisher, Tenant tenant, string eventCode) => async eventId =>
        await publisher.PublishAsync(tenant.Id, new WebhookEvent(eventCode, ResourceId(eventId), Payload, eventId)) is { IsAccepted: true } outcome
            ? outcome.Result.MatchedWebhooks
            : throw new InvalidOperationException($"The server refused event {eventId}.");

    /// <summary>
    /// Publishes with <paramref name="concurrency"/> requests in flight until <paramref name="duration"/> has passed or
    /// <paramref name="count"/> events were published, then waits for every delivery.
    /// </summary>
    public async Task<PhaseOutcome> ClosedLoopAsync(string name, char scenario, Publish publish, int concurrency, TimeSpan? duration, long? count = null)
    {
        var phase = listener.Begin(name);
        var sent = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        long matched = 0, errors = 0, issued = 0;
        var atStart = Meters();
        var start = Stopwatch.GetTimestamp();
        var end = duration is { } d ? start + (long)(d.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        Exception? firstError = null;

        async Task Worker()
        {
            while (Stopwatch.GetTimestamp() < end && (count is null || Interlocked.Increment(ref issued) <= count))
            {
                var id = NextEventId(scenario);
                sent[id] = Stopwatch.GetTimestamp();
                try
                {
                    Interlocked.Add(ref matched, await publish(id));
                }
                catch (Exception ex)
                {
                    sent.TryRemove(id, out _);
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, ex, null);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Worker)));
        var publishSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (firstError is not null)
        {
            Console.Error.WriteLine($"  {name}: {errors} publishes failed; the first: {firstError.Message}");
        }

        return await DrainAsync(phase, sent, matched, errors, start, publishSeconds, atStart);
    }

    /// <summary>Publishes at <paramref name="eventsPerSecond"/>, evenly spaced, for <paramref name="duration"/>; then waits for every delivery.</summary>
    public async Task<PhaseOutcome> OpenLoopAsync(string name, char scenario, Publish publish, double eventsPerSecond, TimeSpan duration)
    {
        var phase = listener.Begin(name);
        var sent = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        long matched = 0, errors = 0;
        var inFlight = new List<Task>();
        var atStart = Meters();
        var start = Stopwatch.GetTimestamp();
        var total = Math.Max(1, (long)Math.Round(eventsPerSecond * duration.TotalSeconds));
        for (long i = 0; i < total; i++)
        {
            var due = start + (long)(i / eventsPerSecond * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var id = NextEventId(scenario);
            sent[id] = Stopwatch.GetTimestamp();
            inFlight.Add(Task.Run(async () =>
            {
                try
                {
                    Interlocked.Add(ref matched, await publish(id));
                }
                catch
                {
                    sent.TryRemove(id, out _);
                    Interlocked.Increment(ref errors);
                }
            }));
        }

        await Task.WhenAll(inFlight);
        var publishSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return await DrainAsync(phase, sent, matched, errors, start, publishSeconds, atStart);
    }

    /// <summary>
    /// The raw ceiling: plain HttpClient POSTs of <paramref name="body"/> (with the same headers a delivery carries)
    /// to the same listener, <see cref="BenchmarkOptions.Concurrency"/> in flight, for <paramref name="duration"/>.
    /// </summary>
    public async Task<PhaseOutcome> RawCeilingAsync(byte[] body, IReadOnlyDictionary<string, string> deliveryHeaders, TimeSpan duration)
    {
        using var client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        });
        var headers = deliveryHeaders
            .Where(h => h.Key is "N-Signature" or "webhook-timestamp" or "webhook-signature" or "User-Agent")
            .ToArray();
        var phase = listener.Begin("raw");
        var sent = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        long errors = 0, done = 0;
        var atStart = Meters();
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        async Task Worker()
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                var id = NextEventId('r');
                using var message = new HttpRequestMessage(HttpMethod.Post, listener.RawUri)
                {
                    Content = new ReadOnlyMemoryContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
                };
                message.Headers.TryAddWithoutValidation("webhook-id", id);
                foreach (var (key, value) in headers)
                {
                    message.Headers.TryAddWithoutValidation(key, value);
                }

                sent[id] = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
                    if (response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref done);
                    }
                    else
                    {
                        sent.TryRemove(id, out _);
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (HttpRequestException)
                {
                    sent.TryRemove(id, out _);
                    Interlocked.Increment(ref errors);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(Worker)));
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return await DrainAsync(phase, sent, done, errors, start, seconds, atStart);
    }

    private async Task<PhaseOutcome> DrainAsync(Receipts.Phase phase, ConcurrentDictionary<string, long> sent, long expected, long errors, long start, double publishSeconds, PhaseMeters atStart)
    {
        var deadline = Stopwatch.StartNew();
        var distinct = 0L;
        while (true)
        {
            if (phase.Count >= expected)
            {
                distinct = Distinct(phase, sent).Count;
                if (distinct >= expected)
                {
                    break;
                }
            }

            if (deadline.Elapsed > options.DrainTimeout)
            {
                distinct = Distinct(phase, sent).Count;
                Console.Error.WriteLine($"  {phase.Name}: only {distinct} of {expected} deliveries arrived within {options.DrainTimeout.TotalSeconds:0} s");
                break;
            }

            await Task.Delay(20);
        }

        // Up to the last delivery's arrival, near enough: the drain polls every 20 ms.
        var atLast = Meters();
        listener.End();
        if (atLast.Allocated > atStart.Allocated && expected > 0)
        {
            // Where a change to the path moved the allocations: the types that took the most, as shares of the phase's.
            var phaseBytes = (double)(atLast.Allocated - atStart.Allocated);
            var top = Allocations.TopTypes(atStart.AllocatedByType, 8).Select(t => $"{ShortTypeName(t.Type)} {t.Bytes / phaseBytes:P0}");
            Console.Error.WriteLine($"  {phase.Name}: {phaseBytes / expected:0} B allocated per delivery; the most: {string.Join(", ", top)}");
        }

        var first = Distinct(phase, sent);
        var last = first.Count == 0 ? start : first.Values.Max();
        var latencies = first.Select(r => Stopwatch.GetElapsedTime(sent[r.Key.EventId], r.Value).TotalMilliseconds).ToList();
        latencies.Sort();
        var byListener = first.Keys.GroupBy(k => k.Listener).ToDictionary(g => g.Key, g => (long)g.Count());
        return new PhaseOutcome(
            phase.Name, sent.Count, expected, first.Count, errors, publishSeconds,
            Stopwatch.GetElapsedTime(start, last).TotalSeconds, first.Count >= expected, latencies,
            byListener, phase.Samples, phase.Unsigned, phase.MeanBodyBytes, (atLast.Cpu - atStart.Cpu).TotalSeconds,
            atLast.Disk - atStart.Disk, atLast.Database - atStart.Database,
            atLast.Allocated - atStart.Allocated, atLast.Scheduling - atStart.Scheduling);
    }

    /// <summary>Every counter a phase is measured by, read at once: at its start, and when its last delivery has arrived.</summary>
    private PhaseMeters Meters() =>
        new(CpuTime(), DiskWriteBytes(), databaseUse(), Allocations.Total, Allocations.ByType(), SchedulingUse.Read());

    private sealed record PhaseMeters(
        TimeSpan Cpu,
        long? Disk,
        ProcessTreeUse? Database,
        long Allocated,
        IReadOnlyDictionary<string, long> AllocatedByType,
        SchedulingUse Scheduling);

    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>
    /// Bytes this process has caused to be sent to the storage layer (<c>write_bytes</c> of <c>/proc/self/io</c>, counted
    /// when pages are dirtied: the WAL's frames and the checkpoints' pages alike); null where the OS does not say.
    /// </summary>
    private static long? DiskWriteBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/io"))
            {
                if (line.StartsWith("write_bytes:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan("write_bytes:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    /// <summary>The first receipt of each (listener, event) of this phase: at-least-once delivery may repeat one.</summary>
    private static Dictionary<(int Listener, string EventId), long> Distinct(Receipts.Phase phase, ConcurrentDictionary<string, long> sent)
    {
        var first = new Dictionary<(int, string), long>();
        foreach (var receipt in phase.Receipts)
        {
            if (sent.ContainsKey(receipt.EventId))
            {
                var key = (receipt.Listener, receipt.EventId);
                if (!first.TryGetValue(key, out var seen) || receipt.Timestamp < seen)
                {
                    first[key] = receipt.Timestamp;
                }
            }
        }

        return first;
    }

    public static Latency Percentiles(IReadOnlyList<double> sorted) => sorted.Count == 0
        ? new Latency(0, 0, 0, 0)
        : new Latency(At(sorted, 0.50), At(sorted, 0.95), At(sorted, 0.99), sorted.Count);

    // Nearest rank.
    private static double At(IReadOnlyList<double> sorted, double q) =>
        Math.Round(sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)], 2);

    // The sampled names spell out every generic argument; an async state machine's own name comes last.
    private static string ShortTypeName(string type) => type.Length <= 60 ? type : "…" + type[^59..];
}
