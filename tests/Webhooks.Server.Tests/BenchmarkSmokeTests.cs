using System.Diagnostics;
using System.Text.Json;

namespace Webhooks.Server.Tests;

/// <summary>
/// The benchmark (tests/Webhooks.Benchmarks) in its quick smoke mode, so it never rots: it runs every scenario at
/// tiny sizes, exits cleanly (no failed publish, no lost or unsigned delivery) and writes every figure to its JSON.
/// What the figures are is not asserted: CI does not judge speed.
/// </summary>
public sealed class BenchmarkSmokeTests : IDisposable
{
    // Every figure the table shows, as paths in the JSON.
    private static readonly string[] Figures =
    [
        "cores", "commit",
        "rawCeiling.requestsPerSecond", "rawCeiling.concurrency", "rawCeiling.bodyBytes",
        "rawCeiling.latencyMs.p50", "rawCeiling.latencyMs.p95", "rawCeiling.latencyMs.p99",
        .. Throughput("fanOut"),
        .. Throughput("fanOutOrdered"),
        "fanOutOrdered.ratioToFanOut", "fanOutOrdered.resources", "fanOutOrdered.ordering",
        .. Throughput("inProcess"),
        .. Throughput("routing"),
        "routing.costRatioVsFanOut",
        "backlog.backlogReached", "backlog.acceptMsAtZero", "backlog.acceptMsAtBacklog", "backlog.costRatio",
        "scale.listeners", "scale.tenants", "scale.collectionAgeSeconds",
        "scale.managedBytes.baseline", "scale.managedBytes.active", "scale.managedBytes.idle",
        "scale.workingSetBytes.baseline", "scale.workingSetBytes.active", "scale.workingSetBytes.idle",
        "scale.activations.baseline", "scale.activations.active", "scale.activations.idle",
        "scale.idleToBaselineManagedRatio",
    ];

    private readonly string _folder = Directory.CreateTempSubdirectory("webhooks-bench-smoke-").FullName;

    [Fact]
    public async Task QuickMode_WritesEveryFigure()
    {
        var output = Path.Combine(_folder, "bench.json");
        var start = new ProcessStartInfo("dotnet", [BenchmarkDll(), "--quick", "--out", output, "--data", Path.Combine(_folder, "data")])
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5)))
        {
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"The quick benchmark did not finish in 5 minutes:\n{await stdout}\n{await stderr}");
            }
        }

        var log = $"exit {process.ExitCode}\n{await stdout}\n{Tail(await stderr)}";
        Assert.True(process.ExitCode == 0, log);
        Assert.True(File.Exists(output), log);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(output));
        Assert.Equal("quick", json.RootElement.GetProperty("mode").GetString());
        var missing = Figures.Where(path => !IsPresent(json.RootElement, path)).ToArray();
        Assert.True(missing.Length == 0, $"Figures missing from the JSON: {string.Join(", ", missing)}\n{log}");
        Assert.Empty(json.RootElement.GetProperty("problems").EnumerateArray());

        // Not what they are, but that they were counted: a counter that went backwards (as the runtime's total of
        // allocated bytes did under Server GC) or saw nothing reads 0 or less.
        foreach (var path in (string[])[
            "rawCeiling.allocatedBytesPerRequest", "fanOut.allocatedBytesPerDelivery", "inProcess.allocatedBytesPerDelivery",
            "rawCeiling.workItemsPerRequest", "fanOut.workItemsPerDelivery", "rawCeiling.contextSwitchesPerRequest", "fanOut.contextSwitchesPerDelivery"])
        {
            Assert.True(IsPresent(json.RootElement, path) && Number(json.RootElement, path) > 0, $"{path} was not counted\n{log}");
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a left-over temp folder harms nothing.
        }
    }

    private static IEnumerable<string> Throughput(string scenario) =>
    [
        $"{scenario}.deliveriesPerSecond", $"{scenario}.ratioToRawCeiling",
        $"{scenario}.latencyPeakMs.p50", $"{scenario}.latencyPeakMs.p95", $"{scenario}.latencyPeakMs.p99",
        $"{scenario}.latencyHalfPeakMs.p50", $"{scenario}.latencyHalfPeakMs.p95", $"{scenario}.latencyHalfPeakMs.p99",
    ];

    private static double Number(JsonElement root, string path) =>
        path.Split('.').Aggregate(root, (element, name) => element.GetProperty(name)).GetDouble();

    /// <summary>A number, or a non-empty string, at <paramref name="path"/>.</summary>
    private static bool IsPresent(JsonElement root, string path)
    {
        var element = root;
        foreach (var name in path.Split('.'))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return false;
            }
        }

        return element.ValueKind == JsonValueKind.Number || (element.ValueKind == JsonValueKind.String && element.GetString()!.Length > 0);
    }

    private static string Tail(string text) => text.Length <= 8000 ? text : text[^8000..];

    private static string BenchmarkDll()
    {
        // tests/Webhooks.Server.Tests/bin/<Configuration>/<tfm>/ → tests/Webhooks.Benchmarks/bin/<Configuration>/<tfm>/
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var tests = testOutput.Parent.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(tests, "Webhooks.Benchmarks", "bin", configuration, tfm, "Webhooks.Benchmarks.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"The benchmark is not built at {dll}.");
    }
}
