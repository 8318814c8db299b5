using System.Diagnostics;
using System.Globalization;

namespace Webhooks.Benchmarks;

/// <summary>
/// The entry point: <c>dotnet run -c Release --project tests/Webhooks.Benchmarks -- --out bench.json</c>.
/// Prints the table on standard output (progress and the server's logs go to standard error) and writes the same
/// figures as JSON to <c>--out</c>. Exits 1 when something that must never happen did (a failed publish, a lost or
/// unsigned delivery, a scenario that could not run), 2 on a bad command line.
/// </summary>
internal static class BenchmarkMain
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(BenchmarkOptions.Usage);
            return 0;
        }

        BenchmarkOptions options;
        try
        {
            options = BenchmarkOptions.Parse(args);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(BenchmarkOptions.Usage);
            return 2;
        }

        var run = Stopwatch.StartNew();
        var (commit, dirty) = GitCommit();
        var report = new Report
        {
            Mode = options.Quick ? "quick" : "full",
            Storage = options.Storage,
            Signatures = options.SignatureNames,
            Commit = commit,
            UncommittedChanges = dirty,
            StartedAt = DateTimeOffset.UtcNow,
            Concurrency = options.Concurrency,
            PayloadBytes = options.PayloadBytes,
            PeakSeconds = options.PeakDuration.TotalSeconds,
            HalfPeakSeconds = options.HalfDuration.TotalSeconds,
        };
        report.Notes.Add($"The server under test (its own Program: Orleans silo + HTTP API on Kestrel), the listener (Kestrel) and the load generator share this one process and its {Environment.ProcessorCount} cores; every HTTP exchange goes over loopback TCP.");
        report.Notes.Add("deliveries/s = distinct deliveries received / (first publish -> last receipt), publishing for the peak phase then waiting for every delivery; latency = publish request start -> listener receipt, per delivery.");
        report.Notes.Add("CPU/delivery = this process's CPU time during the peak phase / deliveries (server, listener and load generator together), and that over the raw ceiling's CPU time per POST. Unlike deliveries/s it hardly moves when other processes take the cores; the µs figure is the one to compare builds by, since the raw ceiling's own cost varies between runs on a virtual machine.");
        report.Notes.Add($"Every publish is acknowledged only once durable (the product's 202); every delivery is checked to carry exactly the listeners' signatures ({string.Join(", ", options.SignatureNames)}), and sampled deliveries are verified (each signature they carry).");
        if (!options.Quick)
        {
            report.Notes.Add("Each throughput scenario first publishes as many events as the delivery log retains (Webhooks:Delivery:LogRetention), then goes on unmeasured for as long as the raw ceiling warms up, so its figures are the steady state's.");
        }

        if (LoadAverage() is { } load)
        {
            report.Notes.Add($"Load average at start: {load} (other processes on the machine compete for the same cores).");
        }

        Directory.CreateDirectory(options.DataFolder);
        try
        {
            await using var storage = await Storage.StartAsync(options.Storage);
            report.StorageNote = storage.Note;
            await using var listener = await Receipts.StartAsync(options.Signatures);
            await new Benchmark(options, storage, listener, report).RunAsync();
            if (listener.Stray > 0)
            {
                report.Notes.Add($"{listener.Stray} requests reached the listener outside any measured phase (late retries of an earlier phase).");
            }
        }
        catch (Exception ex)
        {
            report.Problems.Add($"the run failed: {ex}");
        }

        ServerUnderTest.DeleteFolders();
        if (LoadAverage() is { } after)
        {
            report.Notes.Add($"Load average at the end: {after}.");
        }

        report.DurationSeconds = Math.Round(run.Elapsed.TotalSeconds, 1);
        Console.WriteLine();
        Console.WriteLine(report.ToTable());
        if (options.OutFile is { } file)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, report.ToJson());
            Console.WriteLine($"Figures written to {file}");
        }

        return report.Problems.Count == 0 ? 0 : 1;
    }

    /// <summary>The commit of the repository this tool was built in, and whether the working tree differs from it.</summary>
    private static (string Commit, bool? Dirty) GitCommit()
    {
        var folder = AppContext.BaseDirectory;
        var commit = Git(folder, "rev-parse HEAD");
        if (commit is null)
        {
            return ("unknown", null);
        }

        var status = Git(folder, "status --porcelain");
        return (commit, status is null ? null : status.Length > 0);
    }

    private static string? Git(string folder, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("git", arguments)
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string? LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Create(CultureInfo.InvariantCulture, $"{parts[0]} / {parts[1]} / {parts[2]} (1 / 5 / 15 min)");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
