using System.Globalization;
using Webhooks.Abstractions.Listeners;
using Webhooks.Api.Listeners;

namespace Webhooks.Benchmarks;

/// <summary>The command line: sizes and durations of a full run, a <c>--quick</c> smoke run, and overrides.</summary>
internal sealed class BenchmarkOptions
{
    public const string Usage = """
        Webhooks.Benchmarks: throughput, latency, backlog cost, routing cost and idle memory of the dispatcher,
        against the raw HTTP ceiling measured in the same run.

          dotnet run -c Release --project tests/Webhooks.Benchmarks -- --out bench.json

        Options:
          --out <file>               write the figures as JSON (the table is always printed)
          --storage sqlite|postgresql  the grain storage (default sqlite; postgresql starts a throw-away server)
          --quick                    smoke mode: tiny sizes, finishes in seconds (CI)
          --scenarios <list>         a subset, comma-separated, of: raw,fanout,fanout-ordered,inprocess,backlog,routing,scale
          --concurrency <n>          requests in flight, for the raw ceiling and the publishers (default 32; quick 4)
          --payload-bytes <n>        size of each event's payload (default 256)
          --duration <s>             seconds of each peak phase (default 20; quick 1)
          --half-duration <s>        seconds of each half-peak phase (default 15; quick 0.5)
          --backlog <n>              events queued at the down listener (default 100000; quick 20)
          --backlog-budget <s>       the longest the backlog may take to fill (default 1800; quick 15)
          --routing-listeners <n>    the routing tenant's listeners, of which 10 match (default 10000; quick 30)
          --scale-tenants <n>        tenants of the scale scenario (default 1000; quick 2)
          --scale-listeners <n>      listeners per tenant there (default 100; quick 5)
          --setup-budget <s>         the longest creating the routing or scale listeners may take (default 2400; quick 30)
          --collection-age <s>       Orleans' grain collection age during the scale scenario (default 120; quick 2)
          --data <folder>            where the servers keep their databases (default: the temp folder)
          --signatures <list>        the signatures the benchmark's listeners take, comma-separated, of:
                                     n-signature,standard (default both; e.g. --signatures standard for no RSA)
        """;

    public bool Quick { get; private set; }
    public string? OutFile { get; private set; }
    public string Storage { get; private set; } = "sqlite";
    public HashSet<string> Scenarios { get; private set; } = [.. AllScenarios];
    public int Concurrency { get; private set; }
    public int PayloadBytes { get; private set; } = 256;
    public TimeSpan PeakDuration { get; private set; }
    public TimeSpan HalfDuration { get; private set; }
    public int Backlog { get; private set; }
    public TimeSpan BacklogBudget { get; private set; }
    public int BacklogSamples { get; private set; }
    public int BacklogFillConcurrency { get; private set; }
    public int RoutingListeners { get; private set; }
    public int MatchingListeners => 10;
    public int FanOutListeners => 10;

    /// <summary>The resource ids the ordered fan-out's events are spread over.</summary>
    public int OrderedResources => 100;
    public int ScaleTenants { get; private set; }
    public int ScaleListenersPerTenant { get; private set; }
    public TimeSpan SetupBudget { get; private set; }
    public TimeSpan CollectionAge { get; private set; }
    public TimeSpan DrainTimeout { get; private set; }
    public string DataFolder { get; private set; } = Path.Combine(Path.GetTempPath(), "webhooks-bench");

    /// <summary>The signatures every listener the benchmark creates takes, and every delivery must carry exactly.</summary>
    public ListenerSignatures Signatures { get; private set; } = ListenerSignatures.Both;

    /// <summary><see cref="Signatures"/> as the API's <c>signatures</c> field names them.</summary>
    public IReadOnlyList<string> SignatureNames => WebhookSignatures.Format(Signatures);

    /// <summary>Full mode warms each listener's log up to its retention, so the figures are the steady state's.</summary>
    public bool WarmUpToRetention => !Quick;

    public static readonly string[] AllScenarios = ["raw", "fanout", "fanout-ordered", "inprocess", "backlog", "routing", "scale"];

    public static BenchmarkOptions Parse(string[] args)
    {
        var o = new BenchmarkOptions { Quick = args.Contains("--quick") };
        o.Concurrency = o.Quick ? 4 : 32;
        o.PeakDuration = TimeSpan.FromSeconds(o.Quick ? 1 : 20);
        o.HalfDuration = TimeSpan.FromSeconds(o.Quick ? 0.5 : 15);
        o.Backlog = o.Quick ? 20 : 100_000;
        o.BacklogBudget = TimeSpan.FromSeconds(o.Quick ? 15 : 1800);
        o.BacklogSamples = o.Quick ? 3 : 40;
        o.BacklogFillConcurrency = o.Quick ? 8 : 2048;
        o.RoutingListeners = o.Quick ? 30 : 10_000;
        o.ScaleTenants = o.Quick ? 2 : 1_000;
        o.ScaleListenersPerTenant = o.Quick ? 5 : 100;
        o.SetupBudget = TimeSpan.FromSeconds(o.Quick ? 30 : 2400);
        o.CollectionAge = TimeSpan.FromSeconds(o.Quick ? 2 : 120);
        o.DrainTimeout = TimeSpan.FromSeconds(o.Quick ? 30 : 600);

        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            int Int() => int.Parse(Value(), CultureInfo.InvariantCulture);
            TimeSpan Seconds() => TimeSpan.FromSeconds(double.Parse(Value(), CultureInfo.InvariantCulture));
            switch (name)
            {
                case "--quick": break;
                case "--out": o.OutFile = Path.GetFullPath(Value()); break;
                case "--storage":
                    o.Storage = Value().ToLowerInvariant();
                    if (o.Storage is not ("sqlite" or "postgresql"))
                    {
                        throw new ArgumentException("--storage is sqlite or postgresql.");
                    }

                    break;
                case "--scenarios":
                    o.Scenarios = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                    if (o.Scenarios.FirstOrDefault(s => !AllScenarios.Contains(s)) is { } unknown)
                    {
                        throw new ArgumentException($"Unknown scenario {unknown}; the scenarios are {string.Join(',', AllScenarios)}.");
                    }

                    break;
                case "--concurrency": o.Concurrency = Positive(Int(), name); break;
                case "--payload-bytes": o.PayloadBytes = Positive(Int(), name); break;
                case "--duration": o.PeakDuration = Seconds(); break;
                case "--half-duration": o.HalfDuration = Seconds(); break;
                case "--backlog": o.Backlog = Positive(Int(), name); break;
                case "--backlog-budget": o.BacklogBudget = Seconds(); break;
                case "--routing-listeners": o.RoutingListeners = Math.Max(Positive(Int(), name), o.MatchingListeners + 1); break;
                case "--scale-tenants": o.ScaleTenants = Positive(Int(), name); break;
                case "--scale-listeners": o.ScaleListenersPerTenant = Positive(Int(), name); break;
                case "--setup-budget": o.SetupBudget = Seconds(); break;
                case "--collection-age": o.CollectionAge = Seconds(); break;
                case "--data": o.DataFolder = Path.GetFullPath(Value()); break;
                case "--signatures":
                    var names = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    o.Signatures = WebhookSignatures.Parse(names, out var error) ?? throw new ArgumentException($"--signatures: {error}");
                    break;
                default: throw new ArgumentException($"Unknown option {name}.");
            }
        }

        // The routing and fan-out figures are ratios to the raw ceiling and to each other: they need those phases.
        if (o.Scenarios.Contains("fanout") || o.Scenarios.Contains("inprocess") || o.Scenarios.Contains("routing"))
        {
            o.Scenarios.Add("raw");
        }

        if (o.Scenarios.Contains("routing") || o.Scenarios.Contains("fanout-ordered"))
        {
            o.Scenarios.Add("raw");
            o.Scenarios.Add("fanout");
        }

        return o;
    }

    private static int Positive(int value, string name) =>
        value > 0 ? value : throw new ArgumentException($"{name} must be positive.");
}
