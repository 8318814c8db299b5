using Npgsql;
using Webhooks.Testing;

namespace Webhooks.Benchmarks;

/// <summary>
/// Where the servers under test keep their state: the embedded SQLite file (the default), or a throw-away PostgreSQL
/// server started from the machine's binaries, like the tests do, but with durability switched back on.
/// </summary>
internal sealed class Storage : IAsyncDisposable
{
    private readonly PostgresServer? _postgres;

    private Storage(string name, PostgresServer? postgres, string note)
    {
        Name = name;
        _postgres = postgres;
        Note = note;
    }

    public string Name { get; }

    /// <summary>How this storage is durable, for the report.</summary>
    public string Note { get; }

    /// <summary>
    /// What the PostgreSQL server's processes have used so far (CPU and bytes written); null in SQLite mode, where that
    /// work is done by the measured process itself.
    /// </summary>
    public ProcessTreeUse? DatabaseUse()
    {
        if (_postgres is null)
        {
            return null;
        }

        var pidFile = Path.Combine(_postgres.DataDirectory, "postmaster.pid");
        return File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid)
            ? ProcessTreeUse.Read(pid, _postgres.DataDirectory)
            : null;
    }

    public static async Task<Storage> StartAsync(string name)
    {
        if (name != "postgresql")
        {
            return new Storage(name, null, "SQLite (WAL) file per server, product defaults");
        }

        // The test server's 32 MB of shared buffers saves memory across many test databases; a benchmark of one
        // database gets PostgreSQL's own default, which a production server exceeds.
        // min_wal_size keeps the segments WarmWalAsync writes for reuse.
        var postgres = await PostgresServer.StartAsync("shared_buffers = 128MB\nmin_wal_size = 1GB");
        try
        {
            // The test server turns fsync, synchronous commit and full-page writes off; a benchmark may not skip
            // durability, so they are switched back on (postgresql.auto.conf overrides postgresql.conf).
            await using var connection = new NpgsqlConnection(postgres.AdminConnectionString);
            await connection.OpenAsync();
            foreach (var sql in new[]
            {
                "ALTER SYSTEM SET fsync = on", "ALTER SYSTEM SET synchronous_commit = on",
                "ALTER SYSTEM SET full_page_writes = on", "SELECT pg_reload_conf()",
            })
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }

            await Task.Delay(500); // the reload is asynchronous
            await WarmWalAsync(connection);
            await using var show = new NpgsqlCommand("SELECT current_setting('fsync') || ',' || current_setting('full_page_writes')", connection);
            var settings = (string?)await show.ExecuteScalarAsync();
            if (settings != "on,on")
            {
                throw new InvalidOperationException($"PostgreSQL durability could not be switched on (fsync,full_page_writes = {settings}).");
            }

            return new Storage(name, postgres, $"PostgreSQL {connection.PostgreSqlVersion} on loopback, fsync/synchronous_commit/full_page_writes on, shared_buffers 128MB, 1 GB of recycled WAL segments (min_wal_size)");
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Gives the new server the WAL of one that has been running: 64 segments (1 GB) written and recycled by a checkpoint,
    /// kept for reuse by <c>min_wal_size</c>. A fresh server has no segment ahead of the one it writes; each time one
    /// fills (every 3 s or so at the fan-out's half peak) the committing backend creates the next, writing 16 MB of
    /// zeros and syncing them while every other commit waits: stalls of 70–135 ms every 3 s that made the half-peak p99
    /// (28 ms with recycled segments, 41–60 ms without) a figure of the empty server, not of the dispatcher. A server in
    /// service recycles the segments its checkpoints free, as this one now does.
    /// </summary>
    private static async Task WarmWalAsync(NpgsqlConnection connection)
    {
        await using (var create = new NpgsqlCommand("CREATE TABLE benchmark_wal_warm_up (x int)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        for (var i = 0; i < 64; i++)
        {
            // A switch only starts a new segment when the current one holds a record, hence the insert.
            await using var command = new NpgsqlCommand("INSERT INTO benchmark_wal_warm_up VALUES (1); SELECT pg_switch_wal()", connection);
            await command.ExecuteNonQueryAsync();
        }

        await using var checkpoint = new NpgsqlCommand("DROP TABLE benchmark_wal_warm_up; CHECKPOINT", connection);
        await checkpoint.ExecuteNonQueryAsync();
    }

    /// <summary>The server's configuration for a fresh, empty store.</summary>
    public async Task<IReadOnlyDictionary<string, string>> SettingsAsync(string folder)
    {
        if (_postgres is null)
        {
            return new Dictionary<string, string>
            {
                ["ConnectionStrings:Webhooks"] = $"Data Source={Path.Combine(folder, "webhooks.db")}",
            };
        }

        return new Dictionary<string, string>
        {
            ["Webhooks:Storage:Provider"] = "PostgreSql",
            ["ConnectionStrings:Webhooks"] = await _postgres.CreateDatabaseAsync(),
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
