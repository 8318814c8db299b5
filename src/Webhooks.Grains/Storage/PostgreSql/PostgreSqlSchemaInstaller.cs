using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Webhooks.Grains.Storage.PostgreSql;

/// <summary>
/// Brings a PostgreSQL database up to the project's schema before the storage, reminder and membership providers
/// first read their queries. Scripts are numbered (<c>deploy/sql/postgresql/NNN-….sql</c>); each runs once, in its
/// own transaction, which also records its number in <see cref="VersionTable"/>, so a database that is already
/// current is only read.
/// </summary>
/// <remarks>
/// Several silos may start at once against one empty database. The transaction that checks the version and applies
/// a script first takes a transaction-scoped advisory lock (<see cref="SchemaLockKey"/>), so installers queue there;
/// each one after the first finds the version already recorded and applies nothing. The lock is released by the
/// commit or rollback, so a silo that dies mid-script leaves neither a half-applied script nor a held lock.
/// </remarks>
internal sealed partial class PostgreSqlSchemaInstaller(IOptions<StorageOptions> options, ILogger<PostgreSqlSchemaInstaller> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The advisory lock every installer takes before it looks at or changes the schema ("WEBHOOKS" in ASCII).</summary>
    internal const long SchemaLockKey = 0x5745_4248_4F4F_4B53;

    /// <summary>Our record of applied scripts: one row per script version.</summary>
    internal const string VersionTable = "webhooks_schema_version";

    private const string Engine = "postgresql";

    private const string CreateVersionTable = $"""
        CREATE TABLE IF NOT EXISTS {VersionTable}
        (
            version    integer     NOT NULL PRIMARY KEY,
            script     text        NOT NULL,
            applied_on timestamptz NOT NULL DEFAULT now()
        );
        """;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PostgreSqlSchemaInstaller), ServiceLifecycleStage.RuntimeInitialize, InstallAsync);

    // Both installers are registered; each acts only for its own engine.
    internal Task InstallAsync(CancellationToken cancellationToken) =>
        options.Value.Provider == StorageProvider.PostgreSql
            ? InstallAsync(options.Value.ConnectionString, logger, cancellationToken)
            : Task.CompletedTask;

    /// <summary>
    /// Applies every script newer than the database's recorded version, in order, each once. Safe to call from
    /// several processes at the same time; a no-op (reads only) on a current database.
    /// </summary>
    internal static async Task InstallAsync(string connectionString, ILogger logger, CancellationToken cancellationToken)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);

        // A first look without the lock: a current database needs nothing else.
        var current = await ReadVersionAsync(connection, transaction: null, cancellationToken);
        foreach (var script in SchemaScripts.For(Engine).Where(s => s.Version > current))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({SchemaLockKey});", cancellationToken);

            // Created under the lock: two concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalog.
            await ExecuteAsync(connection, transaction, CreateVersionTable, cancellationToken);
            if (await ReadVersionAsync(connection, transaction, cancellationToken) >= script.Version)
            {
                await transaction.CommitAsync(cancellationToken);
                continue;
            }

            await ExecuteAsync(connection, transaction, script.Text, cancellationToken);
            await using (var record = new NpgsqlCommand($"INSERT INTO {VersionTable} (version, script) VALUES ($1, $2);", connection, transaction))
            {
                record.Parameters.Add(new NpgsqlParameter { Value = script.Version });
                record.Parameters.Add(new NpgsqlParameter { Value = script.Name });
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            LogApplied(logger, script.Version, script.Name, target.Database, target.Host);
        }
    }

    /// <summary>The highest recorded script version; 0 for a database we have never touched.</summary>
    private static async Task<int> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var exists = new NpgsqlCommand($"SELECT to_regclass('{VersionTable}') IS NOT NULL;", connection, transaction);
        if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
        {
            return 0;
        }

        await using var read = new NpgsqlCommand($"SELECT COALESCE(MAX(version), 0) FROM {VersionTable};", connection, transaction);
        return (int)(await read.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied PostgreSQL schema version {Version} ({Script}) to database {Database} on {Host}")]
    private static partial void LogApplied(ILogger logger, int version, string script, string? database, string? host);
}
