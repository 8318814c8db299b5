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
        var postgres = await PostgresServer.StartAsync("shared_buffers = 128MB");
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
            await using var show = new NpgsqlCommand("SELECT current_setting('fsync') || ',' || current_setting('full_page_writes')", connection);
            var settings = (string?)await show.ExecuteScalarAsync();
            if (settings != "on,on")
            {
                throw new InvalidOperationException($"PostgreSQL durability could not be switched on (fsync,full_page_writes = {settings}).");
            }

            return new Storage(name, postgres, $"PostgreSQL {connection.PostgreSqlVersion} on loopback, fsync/synchronous_commit/full_page_writes on, shared_buffers 128MB");
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }
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
