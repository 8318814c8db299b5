using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Webhooks.Abstractions.Listeners;
using Webhooks.Testing;

namespace Webhooks.Benchmarks;

/// <summary>
/// One request the listener received: when (a <see cref="Stopwatch"/> timestamp), which event, at which listener path,
/// and whether it carried exactly the signatures the listeners chose.
/// </summary>
internal readonly record struct Receipt(long Timestamp, string EventId, int Listener, bool Signed);

/// <summary>A received request kept whole, so its signatures can be checked after the phase.</summary>
internal sealed record SampleDelivery(int Listener, string EventId, IReadOnlyDictionary<string, string> Headers, byte[] Body);

/// <summary>
/// The webhook receiver every scenario delivers to, and the raw ceiling's target: the tests' <see cref="TestReceiver"/>,
/// every POST answered 200 at once, keeping no request itself. <c>/l/{n}</c> is listener n; <c>/raw</c> takes the
/// ceiling's plain POSTs. Each request's receipt time and event id (the <c>webhook-id</c> header) go to the current
/// <see cref="Phase"/>.
/// </summary>
internal sealed class Receipts : IAsyncDisposable
{
    public const int RawListener = -1;
    private const int SamplesPerPhase = 4;

    private TestReceiver _receiver = null!;
    private ListenerSignatures _signatures;
    private Phase? _phase;
    private long _stray;

    private Receipts()
    {
    }

    /// <summary>Requests that arrived while no phase was collecting (late retries, say).</summary>
    public long Stray => Interlocked.Read(ref _stray);

    /// <summary>Starts the receiver; <paramref name="signatures"/> is what every delivery must carry, exactly.</summary>
    public static async Task<Receipts> StartAsync(ListenerSignatures signatures)
    {
        var receipts = new Receipts { _signatures = signatures };
        receipts._receiver = await TestReceiver.StartAsync(new TestReceiverOptions { KeepRequests = false, OnRequest = receipts.Take });
        return receipts;
    }

    public Uri ListenerUri(int index) => _receiver.Url($"/l/{index}");

    public Uri RawUri => _receiver.Url("/raw");

    /// <summary>Starts collecting into a new phase; the previous one stops collecting.</summary>
    public Phase Begin(string name)
    {
        var phase = new Phase(name);
        Volatile.Write(ref _phase, phase);
        return phase;
    }

    public void End() => Volatile.Write(ref _phase, null);

    public ValueTask DisposeAsync() => _receiver.DisposeAsync();

    private void Take(HttpRequest request, long arrived, ReadOnlySpan<byte> body)
    {
        var path = request.Path.Value ?? "";
        var listener = path == "/raw" ? RawListener
            : path.StartsWith("/l/", StringComparison.Ordinal) && int.TryParse(path.AsSpan(3), out var n) ? n
            : int.MinValue;
        var phase = Volatile.Read(ref _phase);
        if (phase is null || listener == int.MinValue)
        {
            Interlocked.Increment(ref _stray);
            return;
        }

        var eventId = request.Headers["webhook-id"].ToString();
        var signed = SignatureCheck.CarriesExactly(_signatures, request.Headers.ContainsKey("N-Signature"), request.Headers.ContainsKey("webhook-signature"));
        phase.Record(new Receipt(arrived, eventId, listener, signed), body.Length);
        if (listener != RawListener && phase.WantsSample())
        {
            phase.AddSample(new SampleDelivery(
                listener,
                eventId,
                request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body.ToArray()));
        }
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
