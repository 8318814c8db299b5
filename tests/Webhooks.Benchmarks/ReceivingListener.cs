using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Webhooks.Benchmarks;

/// <summary>One request the listener received: when (a <see cref="Stopwatch"/> timestamp), which event, at which listener path.</summary>
internal readonly record struct Receipt(long Timestamp, string EventId, int Listener, bool Signed);

/// <summary>A received request kept whole, so its signatures can be checked after the phase.</summary>
internal sealed record SampleDelivery(int Listener, string EventId, IReadOnlyDictionary<string, string> Headers, byte[] Body);

/// <summary>
/// The webhook receiver every scenario delivers to, and the raw ceiling's target: Kestrel on 127.0.0.1, every POST
/// answered 200 at once. <c>/l/{n}</c> is listener n; <c>/raw</c> takes the ceiling's plain POSTs. Each request's
/// receipt time and event id (the <c>webhook-id</c> header) go to the current <see cref="Phase"/>.
/// </summary>
internal sealed class ReceivingListener : IAsyncDisposable
{
    public const int RawListener = -1;
    private const int SamplesPerPhase = 4;

    private readonly WebApplication _app;
    private Phase? _phase;
    private long _stray;

    private ReceivingListener(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Requests that arrived while no phase was collecting (late retries, say).</summary>
    public long Stray => Interlocked.Read(ref _stray);

    public static async Task<ReceivingListener> StartAsync()
    {
        // No configuration file watcher: with the current directory as content root it would watch a whole folder
        // tree (the temp folder, say) and wake up on every write the server under test makes to its database.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        var listener = new ReceivingListener(app);
        app.Run(listener.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        listener.BaseAddress = new Uri(address + "/");
        return listener;
    }

    public Uri ListenerUri(int index) => new(BaseAddress, $"l/{index}");

    public Uri RawUri => new(BaseAddress, "raw");

    /// <summary>Starts collecting into a new phase; the previous one stops collecting.</summary>
    public Phase Begin(string name)
    {
        var phase = new Phase(name);
        Volatile.Write(ref _phase, phase);
        return phase;
    }

    public void End() => Volatile.Write(ref _phase, null);

    private async Task HandleAsync(HttpContext context)
    {
        var now = Stopwatch.GetTimestamp();
        var request = context.Request;
        var path = request.Path.Value ?? "";
        var listener = path == "/raw" ? RawListener
            : path.StartsWith("/l/", StringComparison.Ordinal) && int.TryParse(path.AsSpan(3), out var n) ? n
            : int.MinValue;
        var eventId = request.Headers["webhook-id"].ToString();
        var signed = request.Headers.ContainsKey("webhook-signature") && request.Headers.ContainsKey("N-Signature");
        var phase = Volatile.Read(ref _phase);

        // Read the whole body, as any real receiver would before answering.
        var length = (int)(request.ContentLength ?? 0);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1024));
        var read = 0;
        try
        {
            int r;
            while ((r = await request.Body.ReadAsync(buffer.AsMemory(read))) > 0)
            {
                read += r;
                if (read == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, read).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
            }

            if (phase is null || listener == int.MinValue)
            {
                Interlocked.Increment(ref _stray);
            }
            else
            {
                phase.Record(new Receipt(now, eventId, listener, signed), read);
                if (listener != RawListener && phase.WantsSample())
                {
                    phase.AddSample(new SampleDelivery(
                        listener,
                        eventId,
                        request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                        buffer.AsSpan(0, read).ToArray()));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>What the listener received during one phase of a scenario.</summary>
    internal sealed class Phase(string name)
    {
        private readonly ConcurrentQueue<Receipt> _receipts = new();
        private readonly ConcurrentQueue<SampleDelivery> _samples = new();
        private long _count;
        private long _unsigned;
        private long _bodyBytes;
        private int _sampled;

        public string Name { get; } = name;

        public long Count => Interlocked.Read(ref _count);

        public long Unsigned => Interlocked.Read(ref _unsigned);

        public double MeanBodyBytes => Count == 0 ? 0 : (double)Interlocked.Read(ref _bodyBytes) / Count;

        public IReadOnlyCollection<Receipt> Receipts => _receipts;

        public IReadOnlyCollection<SampleDelivery> Samples => _samples;

        public void Record(Receipt receipt, int bodyBytes)
        {
            _receipts.Enqueue(receipt);
            Interlocked.Add(ref _bodyBytes, bodyBytes);
            if (!receipt.Signed && receipt.Listener != RawListener)
            {
                Interlocked.Increment(ref _unsigned);
            }

            Interlocked.Increment(ref _count);
        }

        public bool WantsSample() => Volatile.Read(ref _sampled) < SamplesPerPhase && Interlocked.Increment(ref _sampled) <= SamplesPerPhase;

        public void AddSample(SampleDelivery sample) => _samples.Enqueue(sample);
    }
}
