using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Npgsql;

namespace Webhooks.Testing;

/// <summary>
/// A throw-away PostgreSQL server for tests, run from the binaries installed on the machine: <c>initdb</c> into a
/// fresh folder under the temp directory, <c>pg_ctl start</c> on a free loopback port (its unix socket in that
/// folder too), databases created on demand, and on dispose <c>pg_ctl stop -m immediate</c> and the folder deleted.
/// </summary>
/// <remarks>
/// <para>
/// initdb and postgres refuse to run as root. When the test process is root (as CI is), every server command runs
/// as the <c>postgres</c> OS user (through <c>runuser</c>, or <c>su</c> where runuser is missing) and the folder is
/// handed to that user; the Debian <c>postgresql</c> package creates it. As any other user the commands run as
/// that user.
/// </para>
/// <para>
/// The server is tuned for tests, not for keeping data: fsync, synchronous commit and full-page writes are off.
/// Every connection is a trusted loopback one as the superuser <see cref="SuperUser"/>, without a password.
/// </para>
/// <para>
/// Every server has a watchdog, a small shell process of its own session that stops the server and deletes its
/// folder once the test process has gone, however it ended (test hosts are often killed, so exit handlers do not
/// run). As a last resort, a folder whose test process has died is stopped and removed by the next server started
/// on the machine.
/// </para>
/// </remarks>
public sealed partial class PostgresServer : IAsyncDisposable
{
    /// <summary>An environment variable that, when set, names the folder holding initdb, pg_ctl and postgres.</summary>
    public const string BinDirectoryVariable = "WEBHOOKS_POSTGRES_BIN";

    /// <summary>The database superuser every connection string logs in as.</summary>
    public const string SuperUser = "postgres";

    /// <summary>The maintenance database that always exists.</summary>
    public const string AdminDatabase = "postgres";

    // The OS account the server runs as when the test process is root.
    private const string ServerOsUser = "postgres";
    private const string OwnerFileName = "owner.pid";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan OutputTimeout = TimeSpan.FromSeconds(10);
    private static readonly string RootFolder = Path.Combine(RunsAsRoot ? "/tmp" : Path.GetTempPath(), "webhooks-postgres");
    private static readonly Lazy<Task<PostgresServer>> SharedServer = new(StartSharedAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly bool _shared;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _connectionStrings = [];
    private int _stopped;

    private PostgresServer(string binDirectory, string folder, int port, bool shared)
    {
        BinDirectory = binDirectory;
        Folder = folder;
        Port = port;
        _shared = shared;
    }

    /// <summary>The folder of the PostgreSQL binaries in use.</summary>
    public string BinDirectory { get; }

    /// <summary>The server's own temp folder: data directory, log and unix socket.</summary>
    public string Folder { get; }

    /// <summary>The loopback TCP port the server listens on (host <see cref="Host"/>).</summary>
    public int Port { get; }

    /// <summary>The address the server listens on.</summary>
    public string Host => "127.0.0.1";

    /// <summary>The data directory.</summary>
    public string DataDirectory => Path.Combine(Folder, "data");

    /// <summary>The server's log file.</summary>
    public string LogFile => Path.Combine(Folder, "server.log");

    /// <summary>A connection string for the <see cref="AdminDatabase"/> database.</summary>
    public string AdminConnectionString => ConnectionString(AdminDatabase);

    private static bool RunsAsRoot => Environment.IsPrivilegedProcess;

    /// <summary>
    /// One server for the whole test process, started on first use and stopped by its watchdog within a second or so
    /// of the process ending. Do not dispose it (disposing does nothing); give each test or test class its own
    /// database instead (<see cref="CreateDatabaseAsync(CancellationToken)"/>).
    /// </summary>
    public static Task<PostgresServer> SharedAsync() => SharedServer.Value;

    /// <summary>Starts a server of the caller's own, stopped and deleted by <see cref="DisposeAsync"/>.</summary>
    /// <exception cref="InvalidOperationException">The PostgreSQL server binaries are not installed, or the server did not start.</exception>
    public static Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(shared: false, settings: null, cancellationToken);

    /// <summary>
    /// Starts a server of the caller's own with <paramref name="settings"/> (<c>postgresql.conf</c> lines, such as
    /// <c>shared_buffers = 128MB</c>) after the test defaults, so they override them.
    /// </summary>
    public static Task<PostgresServer> StartAsync(string settings, CancellationToken cancellationToken = default) =>
        StartAsync(shared: false, settings, cancellationToken);

    /// <summary>A connection string (Npgsql) for <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database)
    {
        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Database = database,
            Username = SuperUser,
            IncludeErrorDetail = true,
            Timeout = 30,
            CommandTimeout = 60,
        }.ConnectionString;
        lock (_gate)
        {
            _connectionStrings.Add(connectionString);
        }

        return connectionString;
    }

    /// <summary>Creates an empty database named <paramref name="name"/> and returns its connection string.</summary>
    /// <param name="name">Lower-case letters, digits and underscores, starting with a letter or underscore; at most 63 characters.</param>
    /// <param name="cancellationToken">Stops waiting for the server.</param>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a plain database name (a-z, 0-9, _; at most 63 characters).", nameof(name));
        }

        var admin = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE \"{name}\";";
        await command.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionString(name);
    }

    /// <summary>Creates an empty database with a unique name and returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default) =>
        CreateDatabaseAsync("db_" + Guid.NewGuid().ToString("N"), cancellationToken);

    /// <summary>
    /// Takes the server down as an outage would (<c>pg_ctl stop -m immediate</c>: connections are cut, nothing is
    /// flushed), keeping its data; <see cref="ResumeAsync"/> brings it back on the same port.
    /// </summary>
    public Task PauseAsync(CancellationToken cancellationToken = default) =>
        RunCheckedAsync(Path.Combine(BinDirectory, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"],
            asServerUser: true, Folder, cancellationToken);

    /// <summary>Starts a server stopped by <see cref="PauseAsync"/> again, on the same port, and waits until it accepts connections.</summary>
    public Task ResumeAsync(CancellationToken cancellationToken = default) =>
        RunCheckedAsync(Path.Combine(BinDirectory, "pg_ctl"), ["-D", DataDirectory, "-l", LogFile, "-o", $"-p {Port}", "-w", "-t", "60", "start"],
            asServerUser: true, Folder, cancellationToken);

    /// <summary>Stops the server at once (<c>pg_ctl stop -m immediate</c>) and deletes its folder. Does nothing for <see cref="SharedAsync"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_shared)
        {
            await Task.Run(Stop);
        }
    }

    // No ProcessExit handler: test hosts are often killed before it could finish. The watchdog stops the server.
    private static Task<PostgresServer> StartSharedAsync() => StartAsync(shared: true, settings: null, CancellationToken.None);

    private static async Task<PostgresServer> StartAsync(bool shared, string? settings, CancellationToken cancellationToken)
    {
        var binDirectory = FindBinDirectory();
        if (RunsAsRoot && (await RunAsync("id", ["-u", ServerOsUser], asServerUser: false, "/", cancellationToken)).ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"The tests run as root, and initdb/postgres refuse to: they run the server as the '{ServerOsUser}' OS user, " +
                $"which does not exist here. Install the server package (apt-get install postgresql), which creates it.");
        }

        RemoveAbandonedServers();
        var folder = Path.Combine(RootFolder, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, OwnerFileName), Environment.ProcessId.ToString(CultureInfo.InvariantCulture), cancellationToken);
        StartWatchdog(folder);
        try
        {
            if (RunsAsRoot)
            {
                await RunCheckedAsync("chown", [ServerOsUser, folder], asServerUser: false, folder, cancellationToken);
            }

            var dataDirectory = Path.Combine(folder, "data");
            await RunCheckedAsync(
                Path.Combine(binDirectory, "initdb"),
                ["-D", dataDirectory, "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"],
                asServerUser: true, folder, cancellationToken);

            // Appended settings override initdb's. The port is passed on the command line, so a retry can change it.
            await File.AppendAllTextAsync(Path.Combine(dataDirectory, "postgresql.conf"), $"""

                # Webhooks.Testing: a disposable test server.
                listen_addresses = '127.0.0.1'
                unix_socket_directories = '{folder}'
                fsync = off
                synchronous_commit = off
                full_page_writes = off
                shared_buffers = 32MB
                max_connections = 400
                logging_collector = off
                {settings}

                """, cancellationToken);

            var log = Path.Combine(folder, "server.log");
            for (var attempt = 1; ; attempt++)
            {
                var port = FreeLoopbackPort();
                var start = await RunAsync(
                    Path.Combine(binDirectory, "pg_ctl"),
                    ["-D", dataDirectory, "-l", log, "-o", $"-p {port}", "-w", "-t", "60", "start"],
                    asServerUser: true, folder, cancellationToken);
                if (start.ExitCode == 0)
                {
                    return new PostgresServer(binDirectory, folder, port, shared);
                }

                var logText = ReadTail(log);
                if (attempt < 3 && logText.Contains("could not bind", StringComparison.OrdinalIgnoreCase))
                {
                    continue; // Someone took the port between our probe and the server's bind.
                }

                throw new InvalidOperationException($"PostgreSQL did not start (pg_ctl exit code {start.ExitCode}).\n{start.Output}\n--- {log} ---\n{logText}");
            }
        }
        catch
        {
            StopAndDelete(binDirectory, folder);
            throw;
        }
    }

    private void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        string[] connectionStrings;
        lock (_gate)
        {
            connectionStrings = [.. _connectionStrings];
        }

        // Pooled connections to a server that is gone would only fail later; drop them now.
        foreach (var connectionString in connectionStrings)
        {
            using var connection = new NpgsqlConnection(connectionString);
            NpgsqlConnection.ClearPool(connection);
        }

        StopAndDelete(BinDirectory, Folder);
    }

    private static void StopAndDelete(string binDirectory, string folder)
    {
        var dataDirectory = Path.Combine(folder, "data");
        if (File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            try
            {
                RunAsync(Path.Combine(binDirectory, "pg_ctl"), ["-D", dataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"],
                    asServerUser: true, folder, CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or TimeoutException)
            {
                // Fall through to killing the postmaster by its pid.
            }

            KillPostmaster(dataDirectory);
        }

        for (var attempt = 0; attempt < 5 && Directory.Exists(folder); attempt++)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(200); // A backend may still be exiting and removing its files.
            }
        }
    }

    private static void KillPostmaster(string dataDirectory)
    {
        try
        {
            var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
            if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid))
            {
                using var postmaster = Process.GetProcessById(pid);
                postmaster.Kill(entireProcessTree: true);
                postmaster.WaitForExit(10_000);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or Win32Exception or IOException)
        {
            // Already gone.
        }
    }

    /// <summary>
    /// Starts a small shell process, in a session of its own, that waits for this test process to end (test hosts
    /// are often killed rather than shut down, so no exit handler would run) or for the folder to go. If the folder
    /// is still there then, it sends the postmaster SIGQUIT, what <c>pg_ctl stop -m immediate</c> sends, and
    /// deletes the folder. A server disposed normally has already gone, and the watchdog just ends.
    /// </summary>
    private static void StartWatchdog(string folder)
    {
        const string Script = """
            exec </dev/null >/dev/null 2>&1
            while kill -0 "$1" && [ -d "$2" ]; do sleep 1; done
            [ -d "$2" ] || exit 0
            pid=$(head -n 1 "$2/data/postmaster.pid" 2>/dev/null)
            if [ -n "$pid" ]; then
                kill -QUIT "$pid"
                i=0
                while kill -0 "$pid" && [ "$i" -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
                kill -KILL "$pid"
            fi
            rm -rf "$2"
            """;
        var setsid = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);
        var startInfo = new ProcessStartInfo
        {
            FileName = setsid ?? "/bin/sh",
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (setsid is not null)
        {
            startInfo.ArgumentList.Add("/bin/sh");
        }

        foreach (var argument in (string[])["-c", Script, "postgres-watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), folder])
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var watchdog = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start the PostgreSQL watchdog.");
    }

    /// <summary>Stops and deletes servers whose test process died without stopping them (and whose watchdog did not either).</summary>
    private static void RemoveAbandonedServers()
    {
        if (!Directory.Exists(RootFolder))
        {
            return;
        }

        foreach (var folder in Directory.EnumerateDirectories(RootFolder))
        {
            var ownerFile = Path.Combine(folder, OwnerFileName);
            var abandoned = File.Exists(ownerFile)
                ? int.TryParse(SafeRead(ownerFile), out var owner) && !IsRunning(owner)
                : Directory.GetCreationTimeUtc(folder) < DateTime.UtcNow.AddHours(-1);
            if (abandoned)
            {
                try
                {
                    StopAndDelete(FindBinDirectory(), folder);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
                {
                    // Another test process may be cleaning the same folder; leave it.
                }
            }
        }

        static string SafeRead(string path)
        {
            try
            {
                return File.ReadAllText(path).Trim();
            }
            catch (IOException)
            {
                return "";
            }
        }

        static bool IsRunning(int pid)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// The folder with initdb, pg_ctl and postgres: <see cref="BinDirectoryVariable"/>, else the newest
    /// /usr/lib/postgresql/N/bin (Debian, Ubuntu), else <c>pg_config --bindir</c>, else the PATH.
    /// </summary>
    private static string FindBinDirectory()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable(BinDirectoryVariable) is { Length: > 0 } configured)
        {
            candidates.Add(configured);
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.EnumerateDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var major) ? major : -1)
                .Select(d => Path.Combine(d, "bin")));
        }

        if (PgConfigBinDirectory() is { } fromPgConfig)
        {
            candidates.Add(fromPgConfig);
        }

        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));

        return candidates.FirstOrDefault(d => new[] { "initdb", "pg_ctl", "postgres" }.All(f => File.Exists(Path.Combine(d, f))))
            ?? throw new InvalidOperationException(
                "The PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found: looked in $" + BinDirectoryVariable +
                ", /usr/lib/postgresql/*/bin, `pg_config --bindir` and the PATH. Install the server package: apt-get install postgresql");

        static string? PgConfigBinDirectory()
        {
            try
            {
                var result = RunAsync("pg_config", ["--bindir"], asServerUser: false, "/", CancellationToken.None).GetAwaiter().GetResult();
                return result.ExitCode == 0 ? result.Output.Trim() : null;
            }
            catch (Win32Exception)
            {
                return null; // No pg_config on the PATH.
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string ReadTail(string path)
    {
        try
        {
            var lines = File.ReadAllLines(path);
            return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 40)));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    private static async Task RunCheckedAsync(string fileName, IReadOnlyList<string> arguments, bool asServerUser, string workingDirectory, CancellationToken cancellationToken)
    {
        var result = await RunAsync(fileName, arguments, asServerUser, workingDirectory, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(fileName)} failed (exit code {result.ExitCode}):\n{result.Output}");
        }
    }

    /// <summary>Runs a command to completion; as the server's OS user when <paramref name="asServerUser"/> and the process is root.</summary>
    private static async Task<CommandResult> RunAsync(string fileName, IReadOnlyList<string> arguments, bool asServerUser, string workingDirectory, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };

        if (asServerUser && RunsAsRoot)
        {
            if (FindRunuser() is { } runuser)
            {
                startInfo.FileName = runuser;
                foreach (var argument in (string[])["-u", ServerOsUser, "--", fileName, .. arguments])
                {
                    startInfo.ArgumentList.Add(argument);
                }
            }
            else
            {
                startInfo.FileName = "su";
                foreach (var argument in (string[])["-s", "/bin/sh", ServerOsUser, "-c", string.Join(' ', new[] { fileName }.Concat(arguments).Select(ShellQuote))])
                {
                    startInfo.ArgumentList.Add(argument);
                }
            }
        }
        else
        {
            startInfo.FileName = fileName;
            foreach (var argument in arguments)
            {
                startInfo.ArgumentList.Add(argument);
            }
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        process.StandardInput.Close(); // a command that asked for input (su for a password) gets end-of-file, not the test host's input
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{Path.GetFileName(fileName)} {string.Join(' ', arguments)} did not finish within {CommandTimeout}.");
        }

        // The output ends when every holder of the pipes has gone. pg_ctl start's postmaster writes to the log and
        // does not hold them, but should any process a command starts ever keep them, its exit code still stands.
        var outputs = Task.WhenAll(output, error);
        if (await Task.WhenAny(outputs, Task.Delay(OutputTimeout, CancellationToken.None)) != outputs)
        {
            return new CommandResult(process.ExitCode, $"(its output was still open {OutputTimeout.TotalSeconds} s after it exited: a process it started holds it)");
        }

        return new CommandResult(process.ExitCode, (await output) + (await error));

        static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    private static string? FindRunuser() =>
        new[] { "/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser" }.FirstOrDefault(File.Exists);

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();

    private sealed record CommandResult(int ExitCode, string Output);
}
