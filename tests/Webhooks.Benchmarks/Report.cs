using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Webhooks.Benchmarks;

/// <summary>Publish → receipt latency percentiles, in milliseconds, over <see cref="Count"/> deliveries.</summary>
internal sealed record Latency(double P50, double P95, double P99, long Count);

/// <summary>The raw ceiling: plain POSTs of a delivery-sized body to the same listener at the same concurrency.</summary>
internal sealed class RawCeilingFigures
{
    /// <summary>The ceiling every ratio is taken against: the higher of the two measurements.</summary>
    public double RequestsPerSecond { get; set; }

    /// <summary>Measured before the scenarios.</summary>
    public double RequestsPerSecondAtStart { get; set; }

    /// <summary>Measured again after the scenarios (0 when the run stopped before).</summary>
    public double RequestsPerSecondAtEnd { get; set; }
    public int Concurrency { get; set; }
    public int BodyBytes { get; set; }
    public long Requests { get; set; }
    public Latency LatencyMs { get; set; } = null!;

    /// <summary>This process's CPU time per raw POST (sender and listener), in microseconds: the lower of the two measurements.</summary>
    public double CpuMicrosecondsPerRequest { get; set; }

    public double CpuMicrosecondsPerRequestAtStart { get; set; }

    public double CpuMicrosecondsPerRequestAtEnd { get; set; }

    /// <summary>Bytes the process allocated on the managed heap per POST (sender and listener).</summary>
    public double AllocatedBytesPerRequest { get; set; }

    /// <summary>Thread-pool work items per POST (sender and listener; <see cref="SchedulingUse"/>).</summary>
    public double WorkItemsPerRequest { get; set; }

    /// <summary>Context switches of the process's threads per POST; null where the OS does not say.</summary>
    public double? ContextSwitchesPerRequest { get; set; }

    /// <summary>How long the ceiling's POSTs ran unmeasured first, until the JIT went quiet.</summary>
    public double WarmUpSeconds { get; set; }

    /// <summary>Methods the JIT compiled during the measured POSTs.</summary>
    public long MethodsCompiledDuringPeak { get; set; }
}

/// <summary>A throughput scenario: sustained deliveries/s at peak, and latency at peak and at half of it.</summary>
internal class ThroughputFigures
{
    public string Description { get; set; } = "";
    public string Publishing { get; set; } = "";
    public int TenantListeners { get; set; }
    public int MatchingListeners { get; set; }
    public int WarmupEvents { get; set; }

    /// <summary>How long the scenario ran unmeasured after its retention fill, until the JIT went quiet.</summary>
    public double WarmUpSeconds { get; set; }

    /// <summary>Methods the JIT compiled during the peak: near 0 when the peak measured compiled code.</summary>
    public long MethodsCompiledDuringPeak { get; set; }
    public double DeliveriesPerSecond { get; set; }
    public double EventsAcceptedPerSecond { get; set; }
    public double RatioToRawCeiling { get; set; }

    /// <summary>CPU time per delivery during the peak (server, listener and load generator), in microseconds.</summary>
    public double CpuMicrosecondsPerDelivery { get; set; }

    /// <summary><see cref="CpuMicrosecondsPerDelivery"/> over the raw ceiling's CPU time per POST: what a delivery costs in raw POSTs, whatever else runs on the machine.</summary>
    public double CpuCostVsRaw { get; set; }

    /// <summary>Bytes the process allocated on the managed heap per delivery during the peak (the runtime's allocation events, <see cref="AllocationCounter"/>).</summary>
    public double AllocatedBytesPerDelivery { get; set; }

    /// <summary>Thread-pool work items per delivery during the peak (<see cref="SchedulingUse"/>): the hops a delivery takes, against the raw ceiling's per POST.</summary>
    public double WorkItemsPerDelivery { get; set; }

    /// <summary>Context switches of the process's threads per delivery during the peak; null where the OS does not say.</summary>
    public double? ContextSwitchesPerDelivery { get; set; }

    /// <summary>PostgreSQL mode: the database server's CPU time per delivery during the peak (its every process), in microseconds.</summary>
    public double? DatabaseCpuMicrosecondsPerDelivery { get; set; }

    /// <summary><see cref="DatabaseCpuMicrosecondsPerDelivery"/> in raw POSTs, to add to <see cref="CpuCostVsRaw"/> for a delivery's whole cost.</summary>
    public double? DatabaseCpuCostVsRaw { get; set; }

    /// <summary>PostgreSQL mode: bytes written to the device holding the database per delivery during the peak (the device's own counter, so every process's writes to it count).</summary>
    public double? DatabaseDiskBytesPerDelivery { get; set; }
    public Latency LatencyPeakMs { get; set; } = null!;

    /// <summary>Bytes the process caused to be written to disk per delivery during the peak (<c>/proc/self/io</c>); null where the OS does not report it.</summary>
    public double? DiskBytesPerDelivery { get; set; }
    public double HalfPeakEventsPerSecond { get; set; }
    public Latency LatencyHalfPeakMs { get; set; } = null!;
    public long Deliveries { get; set; }
    public double MeanBodyBytes { get; set; }
    public long UnsignedDeliveries { get; set; }
    public int SignaturesVerified { get; set; }
    public double SetupSeconds { get; set; }
}

/// <summary>Routing: a tenant with many listeners of which few match; per-delivery cost against scenario (a).</summary>
internal sealed class RoutingFigures : ThroughputFigures
{
    /// <summary>Per-delivery cost here over per-delivery cost in (a): (a)'s deliveries/s over these.</summary>
    public double CostRatioVsFanOut { get; set; }
    public long MisroutedDeliveries { get; set; }
}

/// <summary>Ordered fan-out: scenario (a) with its listeners ordered per resource; its throughput against (a)'s.</summary>
internal sealed class OrderedFigures : ThroughputFigures
{
    /// <summary>The ordering the listeners are created with.</summary>
    public const string Resource = "resource";

    public string Ordering { get; set; } = Resource;

    /// <summary>How many resource ids the events are spread over.</summary>
    public int Resources { get; set; }

    /// <summary>Deliveries/s here over (a)'s, in the same run.</summary>
    public double RatioToFanOut { get; set; }
}

/// <summary>Backlog: the cost of accepting one more event for a down listener at backlog 0 and at backlog N.</summary>
internal sealed class BacklogFigures
{
    public int BacklogTarget { get; set; }
    public int BacklogReached { get; set; }
    public int PendingReportedByApi { get; set; }
    public double FillSeconds { get; set; }
    public double FillEventsPerSecond { get; set; }
    public bool FillBudgetExhausted { get; set; }
    public int Samples { get; set; }
    public double AcceptMsAtZero { get; set; }
    public double AcceptMsAtBacklog { get; set; }
    public double AcceptP90MsAtZero { get; set; }
    public double AcceptP90MsAtBacklog { get; set; }
    public double CostRatio { get; set; }
    public string Listener { get; set; } = "";

    /// <summary>Each timed accept, in the order taken.</summary>
    public List<double> AcceptMsSamplesAtZero { get; set; } = [];
    public List<double> AcceptMsSamplesAtBacklog { get; set; } = [];
}

/// <summary>Before (baseline), with every listener active, and after idle deactivation.</summary>
internal sealed record MemoryPoint(long Baseline, long Active, long Idle);

/// <summary>Scale: many listeners across many tenants; memory before and after idle grains deactivate.</summary>
internal sealed class ScaleFigures
{
    public int Tenants { get; set; }
    public int ListenersPerTenant { get; set; }
    public int Listeners { get; set; }
    public double CollectionAgeSeconds { get; set; }
    public double CollectionQuantumSeconds { get; set; }
    public MemoryPoint ManagedBytes { get; set; } = null!;
    public MemoryPoint WorkingSetBytes { get; set; } = null!;
    public MemoryPoint Activations { get; set; } = null!;
    public long ListenerActivationsActive { get; set; }
    public long ListenerActivationsIdle { get; set; }
    public double IdleToBaselineManagedRatio { get; set; }
    public double ActiveManagedBytesPerListener { get; set; }
    public long IdleAboveBaselineManagedBytes { get; set; }
    public double SetupSeconds { get; set; }
    public double DeactivationSeconds { get; set; }
}

/// <summary>Everything one run measured: written as JSON to <c>--out</c> and printed as a table.</summary>
internal sealed class Report
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Tool { get; set; } = "Webhooks.Benchmarks";
    public string Mode { get; set; } = "";
    public string Storage { get; set; } = "";
    public string StorageNote { get; set; } = "";

    /// <summary>The signatures the listeners took (<c>--signatures</c>): what every delivery carried and what was verified.</summary>
    public IReadOnlyList<string> Signatures { get; set; } = [];
    public string Commit { get; set; } = "";
    public bool? UncommittedChanges { get; set; }
    public int Cores { get; set; } = Environment.ProcessorCount;
    public string Runtime { get; set; } = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;
    public string Os { get; set; } = System.Runtime.InteropServices.RuntimeInformation.OSDescription;
    public bool ServerGc { get; set; } = System.Runtime.GCSettings.IsServerGC;
    public DateTimeOffset StartedAt { get; set; }
    public double DurationSeconds { get; set; }
    public int Concurrency { get; set; }
    public int PayloadBytes { get; set; }
    public double PeakSeconds { get; set; }
    public double HalfPeakSeconds { get; set; }
    public RawCeilingFigures? RawCeiling { get; set; }
    public ThroughputFigures? FanOut { get; set; }
    public OrderedFigures? FanOutOrdered { get; set; }
    public ThroughputFigures? InProcess { get; set; }
    public BacklogFigures? Backlog { get; set; }
    public RoutingFigures? Routing { get; set; }
    public ScaleFigures? Scale { get; set; }
    public List<string> Notes { get; set; } = [];
    public List<string> Problems { get; set; } = [];

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// Takes the ceiling as the better of its two measurements and every scenario's ratios against it. On a
    /// virtual machine one measurement can come out a third lower than the other, minutes apart; a ceiling is
    /// what the machine can do, and comparing with its lower reading would flatter the product.
    /// </summary>
    public void UseBestCeiling(double requestsPerSecondAtEnd, double cpuMicrosecondsPerRequestAtEnd)
    {
        if (RawCeiling is not { } raw)
        {
            return;
        }

        raw.RequestsPerSecondAtEnd = Math.Round(requestsPerSecondAtEnd, 1);
        raw.CpuMicrosecondsPerRequestAtEnd = Math.Round(cpuMicrosecondsPerRequestAtEnd, 1);
        raw.RequestsPerSecond = Math.Max(raw.RequestsPerSecondAtStart, raw.RequestsPerSecondAtEnd);
        raw.CpuMicrosecondsPerRequest = raw.CpuMicrosecondsPerRequestAtEnd > 0
            ? Math.Min(raw.CpuMicrosecondsPerRequestAtStart, raw.CpuMicrosecondsPerRequestAtEnd)
            : raw.CpuMicrosecondsPerRequestAtStart;
        foreach (var figures in new[] { FanOut, FanOutOrdered, InProcess, Routing })
        {
            if (figures is not null)
            {
                figures.RatioToRawCeiling = RatioTo(figures.DeliveriesPerSecond, raw.RequestsPerSecond, 3);
                figures.CpuCostVsRaw = RatioTo(figures.CpuMicrosecondsPerDelivery, raw.CpuMicrosecondsPerRequest, 2);
                if (figures.DatabaseCpuMicrosecondsPerDelivery is { } databaseCpu)
                {
                    figures.DatabaseCpuCostVsRaw = RatioTo(databaseCpu, raw.CpuMicrosecondsPerRequest, 2);
                }
            }
        }
    }

    /// <summary><paramref name="value"/> over <paramref name="ceiling"/>, rounded; 0 without a ceiling.</summary>
    public static double RatioTo(double value, double ceiling, int digits) => ceiling > 0 ? Math.Round(value / ceiling, digits) : 0;

    public string ToTable()
    {
        var s = new StringBuilder();
        var commit = Commit.Length > 12 ? Commit[..12] : Commit;
        s.AppendLine(Invariant($"Webhooks.Orleans benchmark: {Mode} mode, {Storage} storage, {Cores} cores, commit {commit}{(UncommittedChanges == true ? " + uncommitted changes" : "")}, {Runtime}, {(ServerGc ? "Server" : "Workstation")} GC"));
        s.AppendLine(Invariant($"Storage: {StorageNote}. Load: {Concurrency} requests in flight, {PayloadBytes}-byte payloads, peak phases {PeakSeconds:0.#} s, half-peak phases {HalfPeakSeconds:0.#} s."));
        s.AppendLine();
        s.AppendLine(Invariant($"{"Scenario",-44} {"deliveries/s",12} {"vs raw",7}  {"peak p50 / p95 / p99 ms",-26} {"half-peak p50 / p95 / p99 ms",-26} {"CPU/delivery vs raw",-16}"));
        s.AppendLine(new string('-', 140));
        if (RawCeiling is { } raw)
        {
            s.AppendLine(Invariant($"{$"raw ceiling: HttpClient POST, {raw.BodyBytes} B",-44} {raw.RequestsPerSecond,12:N0} {1.0,7:0.00}  {Lat(raw.LatencyMs),-26} {"-",-26} {raw.CpuMicrosecondsPerRequest,6:0} µs {1.0,5:0.0}×"));
            s.AppendLine(Invariant($"{"  measured before the scenarios",-44} {raw.RequestsPerSecondAtStart,12:N0} {RatioTo(raw.RequestsPerSecondAtStart, raw.RequestsPerSecond, 2),7:0.00}  {"",-26} {"",-26} {raw.CpuMicrosecondsPerRequestAtStart,6:0} µs"));
            if (raw.RequestsPerSecondAtEnd > 0)
            {
                s.AppendLine(Invariant($"{"  and again after them",-44} {raw.RequestsPerSecondAtEnd,12:N0} {RatioTo(raw.RequestsPerSecondAtEnd, raw.RequestsPerSecond, 2),7:0.00}  {"",-26} {"",-26} {raw.CpuMicrosecondsPerRequestAtEnd,6:0} µs"));
            }
        }

        Row(Invariant($"(a) fan-out: HTTP, {FanOut?.MatchingListeners} listeners"), FanOut);
        Row(Invariant($"(f) (a) ordered, {FanOutOrdered?.Resources} resources"), FanOutOrdered);
        Row("(b) in-process publish, 1 listener", InProcess);
        Row(Invariant($"(d) routing: {Routing?.MatchingListeners} of {Routing?.TenantListeners:N0} match"), Routing);
        s.AppendLine();
        foreach (var (name, f) in new[] { ("(a) fan-out", FanOut), ("(f) ordered fan-out", FanOutOrdered), ("(b) in-process", InProcess), ("(d) routing", Routing) })
        {
            if (f?.DiskBytesPerDelivery is { } bytes)
            {
                s.AppendLine(Invariant($"{name}: {bytes:N0} bytes written to disk per delivery at peak (/proc/self/io write_bytes)"));
            }
        }

        if (Backlog is { } b)
        {
            s.AppendLine(Invariant($"(c) backlog, down listener: accepting one more event takes {b.AcceptMsAtZero:0.##} ms (median of {b.Samples}) at backlog 0, {b.AcceptMsAtBacklog:0.##} ms at {b.BacklogReached:N0} queued{(b.BacklogReached < b.BacklogTarget ? Invariant($" (target {b.BacklogTarget:N0}; the fill budget ran out)") : "")}: cost ratio {b.CostRatio:0.00}x"));
            s.AppendLine(Invariant($"    filling the backlog: {b.FillEventsPerSecond:N0} events/s over {b.FillSeconds:0} s; the API reports {b.PendingReportedByApi:N0} pending"));
        }

        if (FanOutOrdered is { } o)
        {
            s.AppendLine(Invariant($"(f) ordered fan-out ({o.Ordering}, {o.Resources} resources) vs (a) unordered: {o.RatioToFanOut:0.00}x the deliveries/s"));
        }

        if (Routing is { } r)
        {
            s.AppendLine(Invariant($"(d) routing: per-delivery cost with {r.TenantListeners:N0} listeners in the tenant vs (a) with {FanOut?.TenantListeners ?? 0}: {r.CostRatioVsFanOut:0.00}x"));
        }

        if (Scale is { } m)
        {
            s.AppendLine(Invariant($"(e) scale: {m.Listeners:N0} listeners across {m.Tenants:N0} tenants (setup {m.SetupSeconds:0} s), collection age shortened to {m.CollectionAgeSeconds:0.#} s (quantum {m.CollectionQuantumSeconds:0.#} s) for the run"));
            s.AppendLine(Invariant($"    managed heap  {Mb(m.ManagedBytes.Baseline)} baseline, {Mb(m.ManagedBytes.Active)} all active, {Mb(m.ManagedBytes.Idle)} after idle deactivation ({m.IdleToBaselineManagedRatio:0.00}x baseline, {Mb(m.IdleAboveBaselineManagedBytes)} above it; {m.ActiveManagedBytesPerListener:N0} B per active listener)"));
            s.AppendLine(Invariant($"    working set   {Mb(m.WorkingSetBytes.Baseline)} baseline, {Mb(m.WorkingSetBytes.Active)} all active, {Mb(m.WorkingSetBytes.Idle)} after idle deactivation"));
            s.AppendLine(Invariant($"    activations   {m.Activations.Baseline:N0} baseline, {m.Activations.Active:N0} active ({m.ListenerActivationsActive:N0} listeners), {m.Activations.Idle:N0} idle ({m.ListenerActivationsIdle:N0} listeners) after {m.DeactivationSeconds:0} s"));
        }

        if (Notes.Count > 0)
        {
            s.AppendLine();
            Notes.ForEach(n => s.AppendLine("note: " + n));
        }

        if (Problems.Count > 0)
        {
            s.AppendLine();
            Problems.ForEach(p => s.AppendLine("PROBLEM: " + p));
        }

        s.AppendLine(Invariant($"Run took {DurationSeconds:0} s."));
        return s.ToString();

        void Row(string name, ThroughputFigures? f)
        {
            if (f is not null)
            {
                s.AppendLine(Invariant($"{name,-44} {f.DeliveriesPerSecond,12:N0} {f.RatioToRawCeiling,7:0.00}  {Lat(f.LatencyPeakMs),-26} {Lat(f.LatencyHalfPeakMs),-26} {f.CpuMicrosecondsPerDelivery,6:0} µs {f.CpuCostVsRaw,5:0.0}×{Database(f)}"));
            }
        }
    }

    /// <summary>PostgreSQL mode: the database's own CPU per delivery, beside the dispatcher's.</summary>
    private static string Database(ThroughputFigures f) =>
        f.DatabaseCpuMicrosecondsPerDelivery is { } cpu ? Invariant($" + database {cpu:0} µs {f.DatabaseCpuCostVsRaw:0.0}×") : "";

    private static string Lat(Latency l) => Invariant($"{l.P50:0.0} / {l.P95:0.0} / {l.P99:0.0}");

    private static string Mb(long bytes) => Invariant($"{bytes / 1048576.0:N1} MB");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
