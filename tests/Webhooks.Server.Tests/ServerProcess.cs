using System.Diagnostics;

namespace Webhooks.Server.Tests;

/// <summary>
/// The real server binary (or another host built in this repository, such as the sample platform) started as its own
/// process on loopback ports, with its data in a folder the test owns. Stopping it gracefully sends SIGTERM;
/// <see cref="KillAsync"/> is a SIGKILL that gives it no chance to tidy up.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private const string OutputStillOpen = "(the server exited, but its output is still open: a process it started holds it; the output ends here)";

    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly Host _host;

    private ServerProcess(Process process, Uri address, Host host)
    {
        _process = process;
        Address = address;
        _host = host;
    }

    public Uri Address { get; }

    /// <summary>Whether the process has ended, by itself or killed.</summary>
    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public static Task<ServerProcess> StartAsync(string dataFolder, IReadOnlyDictionary<string, string>? settings = null) =>
        StartAsync(Host.Server, dataFolder, settings);

    /// <summary>Starts <paramref name="host"/> and waits until it serves; <paramref name="settings"/> override the server's defaults.</summary>
    public static async Task<ServerProcess> StartAsync(Host host, string dataFolder, IReadOnlyDictionary<string, string>? settings = null)
    {
        // A port found free can be taken by another test process before the server binds it; then pick new ports.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(host, dataFolder, settings);
            }
            catch (PortTakenException) when (attempt < 5)
            {
            }
        }
    }

    /// <summary>
    /// Starts a server that is expected to refuse to start: waits for it to exit (killing it after
    /// <paramref name="timeout"/>) and returns its exit code, null if it had to be killed, and everything it wrote.
    /// </summary>
    public static async Task<(int? ExitCode, string Output)> RunUntilExitAsync(string dataFolder, IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        await using var server = Launch(Host.Server, dataFolder, settings);
        if (!await server.WaitForExitAsync(timeout))
        {
            await server.KillAsync();
            return (null, server.Output);
        }

        return (server._process.ExitCode, server.Output);
    }

    private static async Task<ServerProcess> StartOnceAsync(Host host, string dataFolder, IReadOnlyDictionary<string, string>? settings)
    {
        var server = Launch(host, dataFolder, settings);
        try
        {
            await server.WaitUntilServingAsync();
        }
        catch
        {
            // A server that never served is still running (or holding its output): left alone it would outlive the test host.
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    private static ServerProcess Launch(Host host, string dataFolder, IReadOnlyDictionary<string, string>? settings)
    {
        var serverFolder = Binaries(host);
        var address = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(serverFolder, host.Assembly + ".dll")])
        {
            WorkingDirectory = serverFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/'),
                ["ConnectionStrings__Webhooks"] = $"Data Source={Path.Combine(dataFolder, "webhooks.db")}",
                [host.SiloPortSetting] = FreePort.Next().ToString(),
                [host.GatewayPortSetting] = FreePort.Next().ToString(),
            },
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server.");
        var server = new ServerProcess(process, address, host);
        process.OutputDataReceived += (_, e) => server.Record(e.Data);
        process.ErrorDataReceived += (_, e) => server.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>SIGTERM, then wait for a clean exit; fails after a minute, with what the server wrote.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString()]))
        {
            await term.WaitForExitAsync();
        }

        if (!await WaitForExitAsync(TimeSpan.FromSeconds(60)))
        {
            throw new TimeoutException($"The server did not exit within 60 s of SIGTERM:\n{Output}");
        }
    }

    /// <summary>SIGKILL: the process dies at once, mid-whatever.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            if (!await WaitForExitAsync(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException($"The server was still running 30 s after SIGKILL:\n{Output}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private async Task WaitUntilServingAsync()
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (_process.HasExited)
            {
                await WaitForExitAsync(TimeSpan.FromSeconds(10)); // reads its output to the end, or as far as it goes
                if (Output.Contains("Address already in use", StringComparison.Ordinal))
                {
                    throw new PortTakenException();
                }

                throw new InvalidOperationException($"The server exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(_host.ReadyPath);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too slow to answer while several servers start on a busy machine.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The server did not start serving:\n{Output}");
    }

    /// <summary>
    /// Waits until the process has exited and its output has been read to the end, and says whether it exited.
    /// Reading to the end needs every holder of the output pipes gone: should the server ever start a process
    /// that inherits them and outlives it, the wait ends at <paramref name="limit"/>, noted in
    /// <see cref="Output"/>, rather than blocking the test forever.
    /// </summary>
    private async Task<bool> WaitForExitAsync(TimeSpan limit)
    {
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            if (_process.HasExited)
            {
                Record(OutputStillOpen);
            }

            return _process.HasExited;
        }
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }

    private static string Binaries(Host host)
    {
        // tests/<project>/bin/<Configuration>/<tfm>/ → <host's project folder>/bin/<Configuration>/<tfm>/
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var folder = Path.Combine(root, host.ProjectFolder, "bin", configuration, tfm);
        return File.Exists(Path.Combine(folder, host.Assembly + ".dll"))
            ? folder
            : throw new FileNotFoundException($"{host.Assembly} is not built at {folder}.");
    }

    /// <summary>
    /// A program the tests start: its project folder (from the repository root), its assembly, the settings that take
    /// its Orleans ports, and a path that answers 2xx once it serves.
    /// </summary>
    public sealed record Host(string ProjectFolder, string Assembly, string SiloPortSetting, string GatewayPortSetting, string ReadyPath)
    {
        /// <summary>This project's server.</summary>
        public static Host Server { get; } = new("src/Webhooks.Server", "Webhooks.Server", "Webhooks__Cluster__SiloPort", "Webhooks__Cluster__GatewayPort", "openapi/v1.json");
    }

    private sealed class PortTakenException : Exception;
}
