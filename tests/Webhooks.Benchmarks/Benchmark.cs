using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime;
using Webhooks.Abstractions.Listeners;
using Webhooks.Abstractions.Routing;

namespace Webhooks.Benchmarks;

/// <summary>
/// The scenarios. Each runs against a fresh server (its own empty database), so no scenario inherits another's
/// queues, activations or memory; the listener and the load generator stay up for the whole run.
/// </summary>
internal sealed class Benchmark(BenchmarkOptions options, Storage storage, Receipts listener, Report report)
{
    /// <summary>Listener path that no matching listener uses: a delivery there was misrouted.</summary>
    private const int IdleListener = 0;

    private readonly LoadGenerator _load = new(listener, options, storage.DatabaseUse);
    private readonly ConcurrentDictionary<int, (string Secret, Tenant Tenant)> _signers = new();
    private int _nextListener = IdleListener;
    private SampleDelivery? _probe;

    public async Task RunAsync()
    {
        // Scale first: its memory figures need a process that no earlier server has left garbage in (a disposed
        // server's objects are released only some time later, which would make the baseline meaningless).
        if (options.Scenarios.Contains("scale"))
        {
            await Step("(e) scale", async () => report.Scale = await ScaleAsync());
        }

        if (options.Scenarios.Contains("raw"))
        {
            await Step("raw ceiling", RawCeilingAsync);
        }

        if (options.Scenarios.Contains("fanout"))
        {
            await Step("(a) fan-out", async () => report.FanOut = await FanOutAsync());
        }

        if (options.Scenarios.Contains("fanout-ordered"))
        {
            await Step("(f) ordered fan-out", async () => report.FanOutOrdered = await FanOutOrderedAsync());
        }

        if (options.Scenarios.Contains("inprocess"))
        {
            await Step("(b) in-process publish", async () => report.InProcess = await InProcessAsync());
        }

        if (options.Scenarios.Contains("backlog"))
        {
            await Step("(c) backlog", async () => report.Backlog = await BacklogAsync());
        }

        if (options.Scenarios.Contains("routing"))
        {
            await Step("(d) routing", async () => report.Routing = await RoutingAsync());
        }

        // The ceiling once more at the end: on a shared machine it drifts with everything else running there, and
        // the better of the two readings is the ceiling.
        if (report.RawCeiling is not null && _probe is not null)
        {
            await Step("raw ceiling again", async () =>
            {
                var again = await _load.RawCeilingAsync(_probe.Body, _probe.Headers, options.PeakDuration);
                report.UseBestCeiling(again.DeliveriesPerSecond, again.CpuMicrosecondsPerDelivery);
            });
        }
    }

    private async Task Step(string name, Func<Task> run)
    {
        Progress($"{name}: starting");
        var watch = Stopwatch.StartNew();
        try
        {
            await run();
        }
        catch (Exception ex)
        {
            report.Problems.Add($"{name} failed: {ex}");
        }

        Progress($"{name}: done in {watch.Elapsed.TotalSeconds:0} s");
    }

    /// <summary>How long the raw ceiling, and each throughput scenario after its retention fill, warm up unmeasured at least.</summary>
    private TimeSpan RawWarmUp => TimeSpan.FromSeconds(options.Quick ? 1 : 5);

    /// <summary>
    /// Runs <paramref name="slice"/> for <see cref="RawWarmUp"/>, then in 2-second slices until the JIT has gone quiet
    /// (fewer than <see cref="QuietJitMethods"/> methods compiled in a slice) or a minute has passed; returns the seconds
    /// it took. A fixed warm-up was not enough: tiered compilation promotes a method to optimised code only after it has
    /// been called often and the JIT has had a pause, so on two busy cores a fan-out peak that started after 5 seconds
    /// compiled over 4,000 methods during its first 8 seconds (11% of the process's CPU, and the code measured was
    /// partly unoptimised). The ceiling and the scenarios are measured as a server runs for days: with its code compiled.
    /// </summary>
    private async Task<double> WarmUpAsync(Func<TimeSpan, Task<PhaseOutcome>> slice)
    {
        var watch = Stopwatch.StartNew();
        await slice(RawWarmUp);
        var limit = TimeSpan.FromSeconds(options.Quick ? 2 : 60);
        while (watch.Elapsed < limit)
        {
            var before = JitInfo.GetCompiledMethodCount();
            await slice(TimeSpan.FromSeconds(options.Quick ? 1 : 2));
            if (JitInfo.GetCompiledMethodCount() - before < QuietJitMethods)
            {
                break;
            }
        }

        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>Methods compiled in a 2-second warm-up slice below which the JIT counts as quiet.</summary>
    private const int QuietJitMethods = 40;

    /// <summary>
    /// A real delivery's exact bytes and headers first (one event through a throw-away server), then plain POSTs of
    /// those bytes to the same listener at the same concurrency, with no server running.
    /// </summary>
    private async Task RawCeilingAsync()
    {
        await using (var server = await StartServerAsync("calibration"))
        {
            var tenant = await server.CreateTenantAsync("bench-calibration");
            var code = (await server.EventCodesAsync(tenant))[0];
            var index = await CreateListenerAsync(tenant, code);
            var probe = await _load.ClosedLoopAsync("probe", 'a', _load.OverHttp(tenant, code), 1, null, count: 1);
            Check("calibration", probe);
            _probe = probe.Samples.FirstOrDefault(s => s.Listener == index)
                ?? throw new InvalidOperationException("The calibration event was not delivered.");
        }

        // Unmeasured first, so the ceiling is taken with the HTTP stack's code optimised (tiered JIT), as the
        // scenarios' own warm-ups give the product.
        var warmSeconds = await WarmUpAsync(slice => _load.RawCeilingAsync(_probe.Body, _probe.Headers, slice));
        var jitBefore = JitInfo.GetCompiledMethodCount();
        var raw = await _load.RawCeilingAsync(_probe.Body, _probe.Headers, options.PeakDuration);
        if (raw.PublishErrors > 0 || !raw.Drained)
        {
            report.Problems.Add($"raw ceiling: {raw.PublishErrors} POSTs failed, {raw.Delivered} of {raw.Expected} received");
        }

        report.RawCeiling = new RawCeilingFigures
        {
            RequestsPerSecond = Math.Round(raw.DeliveriesPerSecond, 1),
            RequestsPerSecondAtStart = Math.Round(raw.DeliveriesPerSecond, 1),
            CpuMicrosecondsPerRequestAtStart = Math.Round(raw.CpuMicrosecondsPerDelivery, 1),
            AllocatedBytesPerRequest = Math.Round(raw.AllocatedBytesPerDelivery),
            WorkItemsPerRequest = Math.Round(raw.WorkItemsPerDelivery, 2),
            ContextSwitchesPerRequest = raw.ContextSwitchesPerDelivery is { } switches ? Math.Round(switches, 2) : null,
            WarmUpSeconds = Math.Round(warmSeconds, 1),
            MethodsCompiledDuringPeak = JitInfo.GetCompiledMethodCount() - jitBefore,
            Concurrency = options.Concurrency,
            BodyBytes = _probe.Body.Length,
            Requests = raw.Delivered,
            LatencyMs = LoadGenerator.Percentiles(raw.LatenciesMs),
            CpuMicrosecondsPerRequest = Math.Round(raw.CpuMicrosecondsPerDelivery, 1),
        };
    }

    /// <summary>(a) 1 tenant, 10 listeners on one code, events published over HTTP.</summary>
    private async Task<ThroughputFigures> FanOutAsync()
    {
        var setup = Stopwatch.StartNew();
        await using var server = await StartServerAsync("fanout");
        var tenant = await server.CreateTenantAsync("bench-fanout");
        var code = (await server.EventCodesAsync(tenant))[0];
        for (var i = 0; i < options.FanOutListeners; i++)
        {
            await CreateListenerAsync(tenant, code);
        }

        var figures = new ThroughputFigures
        {
            Description = $"1 tenant, {options.FanOutListeners} listeners on {code}",
            Publishing = "HTTP POST api/v1/events (tenant key)",
            TenantListeners = options.FanOutListeners,
            MatchingListeners = options.FanOutListeners,
            SetupSeconds = Math.Round(setup.Elapsed.TotalSeconds, 1),
        };
        await ThroughputAsync(figures, 'a', server, _load.OverHttp(tenant, code));
        return figures;
    }

    /// <summary>
    /// (f) (a) with every listener ordered per resource, the events spread over <see cref="BenchmarkOptions.OrderedResources"/>
    /// resource ids: what keeping each resource's order costs against (a).
    /// </summary>
    private async Task<OrderedFigures> FanOutOrderedAsync()
    {
        var setup = Stopwatch.StartNew();
        await using var server = await StartServerAsync("fanout-ordered");
        var tenant = await server.CreateTenantAsync("bench-fanout-ordered");
        var code = (await server.EventCodesAsync(tenant))[0];
        for (var i = 0; i < options.FanOutListeners; i++)
        {
            await CreateListenerAsync(tenant, code, OrderedFigures.Resource);
        }

        var figures = new OrderedFigures
        {
            Description = $"1 tenant, {options.FanOutListeners} listeners on {code}, ordered per resource, {options.OrderedResources} resources",
            Publishing = "HTTP POST api/v1/events (tenant key)",
            TenantListeners = options.FanOutListeners,
            MatchingListeners = options.FanOutListeners,
            Resources = options.OrderedResources,
            SetupSeconds = Math.Round(setup.Elapsed.TotalSeconds, 1),
        };
        await ThroughputAsync(figures, 'f', server, _load.OverHttp(tenant, code, options.OrderedResources));
        figures.RatioToFanOut = report.FanOut is { DeliveriesPerSecond: > 0 } a
            ? Math.Round(figures.DeliveriesPerSecond / a.DeliveriesPerSecond, 3)
            : 0;
        return figures;
    }

    /// <summary>(b) 1 listener, events published in-process through the server's own IWebhookPublisher.</summary>
    private async Task<ThroughputFigures> InProcessAsync()
    {
        var setup = Stopwatch.StartNew();
        await using var server = await StartServerAsync("inprocess");
        var tenant = await server.CreateTenantAsync("bench-inprocess");
        var code = (await server.EventCodesAsync(tenant))[0];
        await CreateListenerAsync(tenant, code);
        var figures = new ThroughputFigures
        {
            Description = $"1 tenant, 1 listener on {code}",
            Publishing = "in-process IWebhookPublisher.PublishAsync",
            TenantListeners = 1,
            MatchingListeners = 1,
            SetupSeconds = Math.Round(setup.Elapsed.TotalSeconds, 1),
        };
        await ThroughputAsync(figures, 'b', server, _load.InProcess(server.Publisher, tenant, code));
        return figures;
    }

    /// <summary>
    /// (c) A listener whose address refuses connections (nothing listens there): the cost of accepting one more event
    /// for it — one HTTP publish, timed alone — with its backlog at 0 and at N.
    /// </summary>
    private async Task<BacklogFigures> BacklogAsync()
    {
        await using var server = await StartServerAsync("backlog");
        var tenant = await server.CreateTenantAsync("bench-backlog");
        var code = (await server.EventCodesAsync(tenant))[0];
        var down = new Uri($"http://127.0.0.1:{ClosedPort()}/down");
        var (listenerId, _) = await ServerUnderTest.CreateListenerAsync(tenant, down, code, options.SignatureNames);
        var http = _load.OverHttp(tenant, code);
        var figures = new BacklogFigures
        {
            BacklogTarget = options.Backlog,
            Samples = options.BacklogSamples,
            Listener = "connection refused (nothing listens at its port); retries and circuit breaker as configured",
        };

        // Warm the publish path up (JIT, connections) before timing it.
        for (var i = 0; i < 3; i++)
        {
            await http(_load.NextEventId('c'));
        }

        var atZero = await TimeAcceptsAsync(http);

        // Fill: in-process, many in flight, so concurrent enqueues can share writes; bounded by the budget.
        var target = options.Backlog - 3 - options.BacklogSamples;
        var publish = _load.InProcess(server.Publisher, tenant, code);
        long accepted = 0, issued = 0, failed = 0;
        var fill = Stopwatch.StartNew();
        using var progress = new Timer(_ => Progress($"(c) backlog: {Interlocked.Read(ref accepted):N0} of {target:N0} queued after {fill.Elapsed.TotalSeconds:0} s"), null, 10_000, 10_000);

        async Task Worker()
        {
            while (fill.Elapsed < options.BacklogBudget && Interlocked.Increment(ref issued) <= target)
            {
                try
                {
                    Interlocked.Add(ref accepted, await publish(_load.NextEventId('c')));
                }
                catch (Exception ex)
                {
                    if (Interlocked.Increment(ref failed) == 1)
                    {
                        Progress($"(c) backlog: a publish failed: {ex.Message}");
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, options.BacklogFillConcurrency).Select(_ => Task.Run(Worker)));
        figures.FillSeconds = Math.Round(fill.Elapsed.TotalSeconds, 1);
        figures.FillEventsPerSecond = Math.Round(accepted / fill.Elapsed.TotalSeconds, 1);
        figures.FillBudgetExhausted = accepted < target;
        figures.BacklogReached = (int)accepted + 3 + options.BacklogSamples;
        if (failed > 0)
        {
            // The fill is set-up under deliberate overload (hundreds in flight); the product refusing some of it is
            // worth knowing, but the measured accepts below are what the figures rest on.
            report.Notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"(c) {failed:N0} of the fill's in-process publishes ({options.BacklogFillConcurrency} in flight) failed and were not counted in the backlog"));
        }

        figures.PendingReportedByApi = await ServerUnderTest.DeliveriesAsync(tenant, listenerId, "pending");
        var atBacklog = await TimeAcceptsAsync(http);

        figures.AcceptMsSamplesAtZero = atZero;
        figures.AcceptMsSamplesAtBacklog = atBacklog;
        atZero = [.. atZero.Order()];
        atBacklog = [.. atBacklog.Order()];
        figures.AcceptMsAtZero = Median(atZero);
        figures.AcceptMsAtBacklog = Median(atBacklog);
        figures.AcceptP90MsAtZero = Quantile(atZero, 0.9);
        figures.AcceptP90MsAtBacklog = Quantile(atBacklog, 0.9);
        figures.CostRatio = Math.Round(figures.AcceptMsAtBacklog / figures.AcceptMsAtZero, 2);
        if (figures.FillBudgetExhausted)
        {
            report.Notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"(c) the backlog reached {figures.BacklogReached:N0} of {options.Backlog:N0} within the {options.BacklogBudget.TotalSeconds:0} s fill budget; its figures are at that backlog"));
        }

        return figures;
    }

    /// <summary>(d) A tenant with many listeners of which 10 match each event; the rest subscribe to other codes.</summary>
    private async Task<RoutingFigures> RoutingAsync()
    {
        var setup = Stopwatch.StartNew();
        await using var server = await StartServerAsync("routing");
        var tenant = await server.CreateTenantAsync("bench-routing");
        var codes = await server.EventCodesAsync(tenant);
        var code = codes[0];
        var others = codes[1..];
        for (var i = 0; i < options.MatchingListeners; i++)
        {
            await CreateListenerAsync(tenant, code);
        }

        // The rest through the tenant's router grain, as the API's create does, without an HTTP round trip each.
        var router = server.Grains.GetGrain<IEventRouterGrain>(tenant.Id);
        var idle = listener.ListenerUri(IdleListener).ToString();
        var rest = options.RoutingListeners - options.MatchingListeners;
        var created = 0;
        using (new Timer(_ => Progress($"(d) routing: {Volatile.Read(ref created):N0} of {rest:N0} other listeners created after {setup.Elapsed.TotalSeconds:0} s"), null, 10_000, 10_000))
        {
            await ForEachAsync(Enumerable.Range(0, rest), 8, async n =>
            {
                if (setup.Elapsed < options.SetupBudget)
                {
                    await router.AddAsync(new ListenerDefinition(idle, [others[n % others.Length]], null, Signatures: options.Signatures));
                    Interlocked.Increment(ref created);
                }
            });
        }

        var total = options.MatchingListeners + created;
        if (created < rest)
        {
            report.Notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"(d) only {total:N0} of {options.RoutingListeners:N0} listeners were created within the {options.SetupBudget.TotalSeconds:0} s setup budget; the routing figures are for {total:N0}"));
        }

        var figures = new RoutingFigures
        {
            Description = $"1 tenant, {total} listeners, {options.MatchingListeners} on {code}, the rest on the {others.Length} other codes",
            Publishing = "HTTP POST api/v1/events (tenant key)",
            TenantListeners = total,
            MatchingListeners = options.MatchingListeners,
            SetupSeconds = Math.Round(setup.Elapsed.TotalSeconds, 1),
        };
        var phases = await ThroughputAsync(figures, 'd', server, _load.OverHttp(tenant, code));
        figures.MisroutedDeliveries = phases.Sum(p => p.DeliveriesByListener.GetValueOrDefault(IdleListener));
        if (figures.MisroutedDeliveries > 0)
        {
            report.Problems.Add($"(d) routing: {figures.MisroutedDeliveries} deliveries reached listeners that did not subscribe");
        }

        figures.CostRatioVsFanOut = report.FanOut is { DeliveriesPerSecond: > 0 } a && figures.DeliveriesPerSecond > 0
            ? Math.Round(a.DeliveriesPerSecond / figures.DeliveriesPerSecond, 2)
            : 0;
        return figures;
    }

    /// <summary>(e) Many listeners across many tenants: memory at baseline, with all of them active, and once idle grains deactivated.</summary>
    private async Task<ScaleFigures> ScaleAsync()
    {
        var age = options.CollectionAge;
        await using var server = await StartServerAsync("scale", age);
        var quantum = server.Services.GetService(typeof(Microsoft.Extensions.Options.IOptions<Orleans.Configuration.GrainCollectionOptions>)) is
            Microsoft.Extensions.Options.IOptions<Orleans.Configuration.GrainCollectionOptions> collection
            ? collection.Value.CollectionQuantum
            : TimeSpan.Zero;
        var management = server.Grains.GetGrain<IManagementGrain>(0);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var (baseManaged, baseWorking) = MeasureMemory();
        var (baseActivations, _) = await ActivationsAsync(management);

        var setup = Stopwatch.StartNew();
        var listeners = options.ScaleTenants * options.ScaleListenersPerTenant;
        var tenants = new Tenant[options.ScaleTenants];
        var created = 0;
        using (new Timer(_ => Progress($"(e) scale: {Volatile.Read(ref created):N0} of {options.ScaleTenants:N0} tenants created after {setup.Elapsed.TotalSeconds:0} s"), null, 10_000, 10_000))
        {
            // Each tenant's creation generates its RSA signing key: CPU-bound, so a few at a time.
            await ForEachAsync(Enumerable.Range(0, options.ScaleTenants), 4, async t =>
            {
                tenants[t] = await server.CreateTenantAsync($"bench-scale-{t}");
                Interlocked.Increment(ref created);
            });
        }

        var codes = await server.EventCodesAsync(tenants[0]);
        var idle = listener.ListenerUri(IdleListener).ToString();
        var ids = new string?[listeners];
        created = 0;
        using (new Timer(_ => Progress($"(e) scale: {Volatile.Read(ref created):N0} of {listeners:N0} listeners created after {setup.Elapsed.TotalSeconds:0} s"), null, 10_000, 10_000))
        {
            // Tenants in parallel; each tenant's listeners one after another, as its router takes them anyway.
            await ForEachAsync(Enumerable.Range(0, options.ScaleTenants), 32, async t =>
            {
                var router = server.Grains.GetGrain<IEventRouterGrain>(tenants[t].Id);
                for (var l = 0; l < options.ScaleListenersPerTenant && setup.Elapsed < options.SetupBudget; l++)
                {
                    var n = (t * options.ScaleListenersPerTenant) + l;
                    ids[n] = (await router.AddAsync(new ListenerDefinition(idle, [codes[n % codes.Length]], null, Signatures: options.Signatures)))!.Listener.Id;
                    Interlocked.Increment(ref created);
                }
            });
        }

        foreach (var tenant in tenants)
        {
            tenant.Client.Dispose();
        }

        listeners = created;
        if (listeners < options.ScaleTenants * options.ScaleListenersPerTenant)
        {
            report.Notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"(e) only {listeners:N0} of {options.ScaleTenants * options.ScaleListenersPerTenant:N0} listeners were created within the {options.SetupBudget.TotalSeconds:0} s setup budget; the memory figures are for {listeners:N0}"));
        }

        // Creation takes longer than a shortened collection age, so every listener is called once more right
        // before measuring: "all active" means every one of them, not whichever survived the setup.
        await ForEachAsync(ids.OfType<string>(), 64, id => server.Grains.GetGrain<IListenerGrain>(id).GetAsync());
        var setupSeconds = setup.Elapsed.TotalSeconds;
        var (activeActivations, activeListeners) = await ActivationsAsync(management);
        var (activeManaged, activeWorking) = MeasureMemory();

        var idleWatch = Stopwatch.StartNew();
        var timeout = (age * 4) + TimeSpan.FromSeconds(options.Quick ? 20 : 180);
        long idleActivations, idleListeners;
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(options.Quick ? 0.5 : 5));
            (idleActivations, idleListeners) = await ActivationsAsync(management);
            if (idleListeners == 0 || idleWatch.Elapsed > timeout)
            {
                break;
            }

            Progress($"(e) scale: {idleListeners:N0} listener activations left after {idleWatch.Elapsed.TotalSeconds:0} s idle");
        }

        var deactivationSeconds = idleWatch.Elapsed.TotalSeconds;
        var (idleManaged, idleWorking) = MeasureMemory();
        if (idleListeners > 0)
        {
            report.Problems.Add($"(e) scale: {idleListeners} listener activations were still active {deactivationSeconds:0} s after the last call");
        }

        report.Notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"(e) Orleans' grain collection age was shortened to {age.TotalSeconds:0.#} s (quantum {quantum.TotalSeconds:0.#} s) for the scale scenario's server only, so idle deactivation is seen within the run; (e) runs first, in a clean process, and its memory figures are the whole process's (server, listener, load generator)"));
        return new ScaleFigures
        {
            Tenants = options.ScaleTenants,
            ListenersPerTenant = options.ScaleListenersPerTenant,
            Listeners = listeners,
            CollectionAgeSeconds = age.TotalSeconds,
            CollectionQuantumSeconds = quantum.TotalSeconds,
            ManagedBytes = new MemoryPoint(baseManaged, activeManaged, idleManaged),
            WorkingSetBytes = new MemoryPoint(baseWorking, activeWorking, idleWorking),
            Activations = new MemoryPoint(baseActivations, activeActivations, idleActivations),
            ListenerActivationsActive = activeListeners,
            ListenerActivationsIdle = idleListeners,
            IdleToBaselineManagedRatio = Math.Round((double)idleManaged / baseManaged, 2),
            ActiveManagedBytesPerListener = listeners == 0 ? 0 : Math.Round((double)(activeManaged - baseManaged) / listeners, 0),
            IdleAboveBaselineManagedBytes = idleManaged - baseManaged,
            SetupSeconds = Math.Round(setupSeconds, 1),
            DeactivationSeconds = Math.Round(deactivationSeconds, 1),
        };
    }

    /// <summary>
    /// Warm-up (in full mode up to the delivery log's retention, so the figures are the steady state's), the peak
    /// (closed loop), then the half peak (open loop at half the peak's event rate). Fills <paramref name="figures"/>.
    /// </summary>
    private async Task<PhaseOutcome[]> ThroughputAsync(ThroughputFigures figures, char scenario, ServerUnderTest server, Publish publish)
    {
        var matched = figures.MatchingListeners;
        var warmup = options.WarmUpToRetention ? server.DeliveryOptions.LogRetention : 2;
        figures.WarmupEvents = warmup;
        Progress($"({scenario}) warming up: {warmup} events");
        var warm = await _load.ClosedLoopAsync($"({scenario}) warm-up", scenario, publish, options.Concurrency, null, warmup);
        Check($"({scenario}) warm-up", warm);

        // Then as long as the raw ceiling's own warm-up, so the product's code is measured optimised (tiered JIT)
        // like the HTTP stack's there, not while it is still being compiled.
        figures.WarmUpSeconds = Math.Round(await WarmUpAsync(async slice =>
        {
            var settle = await _load.ClosedLoopAsync($"({scenario}) warm-up, timed", scenario, publish, options.Concurrency, slice);
            Check($"({scenario}) warm-up, timed", settle);
            return settle;
        }), 1);

        Progress($"({scenario}) peak: {options.PeakDuration.TotalSeconds:0.#} s, {options.Concurrency} in flight");
        var jitBefore = JitInfo.GetCompiledMethodCount();
        var peak = await _load.ClosedLoopAsync($"({scenario}) peak", scenario, publish, options.Concurrency, options.PeakDuration);
        figures.MethodsCompiledDuringPeak = JitInfo.GetCompiledMethodCount() - jitBefore;
        Check($"({scenario}) peak", peak);

        var halfRate = Math.Max(peak.DeliveriesPerSecond / matched / 2, 1);
        Progress($"({scenario}) half peak: {halfRate:0.#} events/s for {options.HalfDuration.TotalSeconds:0.#} s");
        var half = await _load.OpenLoopAsync($"({scenario}) half peak", scenario, publish, halfRate, options.HalfDuration);
        Check($"({scenario}) half peak", half);

        figures.DeliveriesPerSecond = Math.Round(peak.DeliveriesPerSecond, 1);
        figures.EventsAcceptedPerSecond = Math.Round(peak.EventsAcceptedPerSecond, 1);
        figures.RatioToRawCeiling = Report.RatioTo(peak.DeliveriesPerSecond, report.RawCeiling?.RequestsPerSecond ?? 0, 3);
        figures.LatencyPeakMs = LoadGenerator.Percentiles(peak.LatenciesMs);
        figures.CpuMicrosecondsPerDelivery = Math.Round(peak.CpuMicrosecondsPerDelivery, 1);
        figures.DiskBytesPerDelivery = peak.DiskBytesPerDelivery is { } bytes ? Math.Round(bytes) : null;
        figures.CpuCostVsRaw = Report.RatioTo(peak.CpuMicrosecondsPerDelivery, report.RawCeiling?.CpuMicrosecondsPerRequest ?? 0, 2);
        figures.AllocatedBytesPerDelivery = Math.Round(peak.AllocatedBytesPerDelivery);
        figures.WorkItemsPerDelivery = Math.Round(peak.WorkItemsPerDelivery, 2);
        figures.ContextSwitchesPerDelivery = peak.ContextSwitchesPerDelivery is { } switches ? Math.Round(switches, 2) : null;
        if (peak.DatabaseCpuMicrosecondsPerDelivery is { } databaseCpu)
        {
            figures.DatabaseCpuMicrosecondsPerDelivery = Math.Round(databaseCpu, 1);
            figures.DatabaseCpuCostVsRaw = Report.RatioTo(databaseCpu, report.RawCeiling?.CpuMicrosecondsPerRequest ?? 0, 2);
            figures.DatabaseDiskBytesPerDelivery = peak.DatabaseDiskBytesPerDelivery is { } written ? Math.Round(written) : null;
        }

        figures.HalfPeakEventsPerSecond = Math.Round(halfRate, 1);
        figures.LatencyHalfPeakMs = LoadGenerator.Percentiles(half.LatenciesMs);
        figures.Deliveries = warm.Delivered + peak.Delivered + half.Delivered;
        figures.MeanBodyBytes = Math.Round(peak.MeanBodyBytes, 1);
        PhaseOutcome[] phases = [warm, peak, half];
        figures.UnsignedDeliveries = phases.Sum(p => p.Unsigned);
        figures.SignaturesVerified = phases.Sum(p => VerifySignatures(p));
        return phases;
    }

    /// <summary>Reports what must never happen: a failed publish, a delivery that never came, an unsigned delivery.</summary>
    private void Check(string name, PhaseOutcome outcome)
    {
        if (outcome.PublishErrors > 0)
        {
            report.Problems.Add($"{name}: {outcome.PublishErrors} publishes failed");
        }

        if (!outcome.Drained)
        {
            report.Problems.Add($"{name}: {outcome.Delivered} of {outcome.Expected} deliveries arrived within {options.DrainTimeout.TotalSeconds:0} s");
        }

        if (outcome.Unsigned > 0)
        {
            report.Problems.Add($"{name}: {outcome.Unsigned} deliveries arrived without exactly the chosen signatures ({string.Join(", ", options.SignatureNames)})");
        }
    }

    private int VerifySignatures(PhaseOutcome outcome)
    {
        var verified = 0;
        foreach (var sample in outcome.Samples)
        {
            if (!_signers.TryGetValue(sample.Listener, out var signer))
            {
                continue;
            }

            if (SignatureCheck.Verify(sample, options.Signatures, signer.Secret, signer.Tenant) is { } failure)
            {
                report.Problems.Add($"{outcome.Name}: {failure}");
            }
            else
            {
                verified++;
            }
        }

        return verified;
    }

    /// <summary>Times publishes one at a time, each alone (a short pause between), in milliseconds.</summary>
    private async Task<List<double>> TimeAcceptsAsync(Publish publish)
    {
        var times = new List<double>();
        for (var i = 0; i < options.BacklogSamples; i++)
        {
            var id = _load.NextEventId('c');
            var start = Stopwatch.GetTimestamp();
            await publish(id);
            times.Add(Math.Round(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 2));
            await Task.Delay(50);
        }

        return times;
    }

    private async Task<int> CreateListenerAsync(Tenant tenant, string code, string? ordering = null)
    {
        var index = Interlocked.Increment(ref _nextListener);
        var (_, secret) = await ServerUnderTest.CreateListenerAsync(tenant, listener.ListenerUri(index), code, options.SignatureNames, ordering);
        _signers[index] = (secret, tenant);
        return index;
    }

    private Task<ServerUnderTest> StartServerAsync(string name, TimeSpan? collectionAge = null) =>
        ServerUnderTest.StartAsync(options, storage, name, collectionAge);

    private static async Task<(long All, long Listeners)> ActivationsAsync(IManagementGrain management)
    {
        var statistics = await management.GetSimpleGrainStatistics();
        return (statistics.Sum(s => (long)s.ActivationCount),
            statistics.Where(s => s.GrainType.Contains(nameof(IListenerGrain)[1..], StringComparison.Ordinal)).Sum(s => (long)s.ActivationCount));
    }

    /// <summary>Managed heap after full, compacting collections; and the process's working set.</summary>
    private static (long Managed, long WorkingSet) MeasureMemory()
    {
        for (var i = 0; i < 3; i++)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        using var process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: false), process.WorkingSet64);
    }

    private static async Task ForEachAsync<T>(IEnumerable<T> items, int parallelism, Func<T, Task> body) =>
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (item, _) => await body(item));

    private static int ClosedPort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private static double Median(List<double> sorted) => Quantile(sorted, 0.5);

    private static double Quantile(List<double> sorted, double q) =>
        sorted.Count == 0 ? 0 : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)], 2);

    public static void Progress(string message) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{DateTime.Now:HH:mm:ss}] {message}"));
}
