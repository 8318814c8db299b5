using Microsoft.Extensions.Logging;
using Npgsql;

namespace Webhooks.Grains.Tests.PostgreSql;

/// <summary>What the tests know about the PostgreSQL schema, and how they look at a database.</summary>
internal static class PostgreSqlSchema
{
    /// <summary>The scripts under deploy/sql/postgresql, by version.</summary>
    public static readonly (int Version, string Script)[] Scripts =
    [
        (1, "001-grain-state.sql"),
        (2, "002-reminders.sql"),
        (3, "003-clustering.sql"),
        (4, "004-delivery-log.sql"),
        (5, "005-accepted-events.sql"),
        (6, "006-delivery-log-fillfactor.sql"),
        (7, "007-data-protection-keys.sql"),
        (8, "008-events.sql"),
        (9, "009-retention.sql"),
        (10, "010-wake-ups.sql"),
    ];

    /// <summary>The keys the 10.4.2 grain storage provider loads (DeleteStorageKey only with DeleteStateOnClear).</summary>
    public static readonly string[] PersistenceKeys = ["WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey"];

    /// <summary>The keys the 10.4.2 reminder table refuses to start without.</summary>
    public static readonly string[] ReminderKeys =
    [
        "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    /// <summary>
    /// The keys the 10.4.2 clustering provider refuses to start without, plus CleanupDefunctSiloEntryKey, which it
    /// uses instead of the bulk clean-up when present.
    /// </summary>
    public static readonly string[] ClusteringKeys =
    [
        "GatewaysQueryKey", "MembershipReadRowKey", "MembershipReadAllKey", "InsertMembershipVersionKey", "UpdateIAmAlivetimeKey",
        "InsertMembershipKey", "UpdateMembershipKey", "DeleteMembershipTableEntriesKey", "CleanupDefunctSiloEntriesKey",
        "CleanupDefunctSiloEntryKey",
    ];

    public static IEnumerable<string> AllKeys => PersistenceKeys.Concat(ReminderKeys).Concat(ClusteringKeys);

    /// <summary>The version table, as (version, script, applied_on) in version order.</summary>
    public static async Task<IReadOnlyList<(int Version, string Script, DateTime AppliedOn)>> ReadVersionsAsync(string connectionString)
    {
        var rows = new List<(int, string, DateTime)>();
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand("SELECT version, script, applied_on FROM webhooks_schema_version ORDER BY version;", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt32(0), reader.GetString(1), reader.GetDateTime(2)));
        }

        return rows;
    }

    /// <summary>OrleansQuery, key by key.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ReadQueriesAsync(string connectionString)
    {
        var rows = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand("SELECT QueryKey, QueryText FROM OrleansQuery;", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0), reader.GetString(1));
        }

        return rows;
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }
}

/// <summary>Keeps every message logged through it, for tests that count what an installer did.</summary>
internal sealed class RecordingLogger : ILogger
{
    private readonly Lock _gate = new();
    private readonly List<string> _messages = [];

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_gate)
        {
            _messages.Add(formatter(state, exception));
        }
    }
}
