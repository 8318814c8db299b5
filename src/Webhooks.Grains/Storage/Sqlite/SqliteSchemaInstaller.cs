using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Webhooks.Grains.Storage.Sqlite;

/// <summary>
/// Brings a SQLite database up to the project's schema before the storage provider first reads its queries.
/// Scripts are numbered (<c>001-….sql</c>); each runs once, in its own transaction, and raises
/// <c>PRAGMA user_version</c> to its number, so a database that is already current is only read.
/// </summary>
internal sealed partial class SqliteSchemaInstaller(IOptions<StorageOptions> options, ILogger<SqliteSchemaInstaller> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SqliteSchemaInstaller), ServiceLifecycleStage.RuntimeInitialize, InstallAsync);

    // Both installers are registered; each acts only for its own engine.
    internal Task InstallAsync(CancellationToken cancellationToken) =>
        options.Value.Provider == StorageProvider.Sqlite
            ? InstallAsync(options.Value.ConnectionString, logger, cancellationToken)
            : Task.CompletedTask;

    internal static async Task InstallAsync(string connectionString, ILogger logger, CancellationToken cancellationToken)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);

        var current = await ReadUserVersionAsync(connection, cancellationToken);
        foreach (var (version, _, script) in SchemaScripts.For("sqlite").Where(s => s.Version > current))
        {
            // WAL lets readers carry on while one writer commits; it is a property of the file, set once.
            await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken);
            // BEGIN IMMEDIATE: the write lock is taken now, so a second process starting on the same file
            // waits here and then sees the version this one committed.
            await using var transaction = connection.BeginTransaction(deferred: false);
            if (await ReadUserVersionAsync(connection, cancellationToken, transaction) >= version)
            {
                continue;
            }

            await ExecuteAsync(connection, script, cancellationToken, transaction);
            await ExecuteAsync(connection, $"PRAGMA user_version = {version};", cancellationToken, transaction);
            await transaction.CommitAsync(cancellationToken);
            LogApplied(logger, version, dataSource);
        }
    }

    private static async Task<long> ReadUserVersionAsync(SqliteConnection connection, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied SQLite schema version {Version} to {DataSource}")]
    private static partial void LogApplied(ILogger logger, int version, string dataSource);
}
