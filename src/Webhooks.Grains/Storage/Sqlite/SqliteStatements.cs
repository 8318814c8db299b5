using Microsoft.Data.Sqlite;

namespace Webhooks.Grains.Storage.Sqlite;

/// <summary>
/// Prepared statements on the writer's connection, inside the current batch's transaction. A statement is
/// prepared once per SQL text and reused for every later write, which saves SQLite re-parsing it each time.
/// </summary>
public sealed class SqliteStatements : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);
    private SqliteTransaction? _transaction;

    internal SqliteStatements(SqliteConnection connection) => _connection = connection;

    /// <summary>
    /// Lets SQLite itself wait (it retries within milliseconds) when another connection, such as the reminder
    /// table's or a second process's, holds the lock, instead of the driver's coarse 150 ms sleeps.
    /// </summary>
    internal static void WaitWhenBusy(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 30000;";
        command.ExecuteNonQuery();
    }

    /// <summary>Executes <paramref name="sql"/> with positional parameters <c>$1</c>, <c>$2</c>, …; returns the rows changed.</summary>
    public int Execute(string sql, params ReadOnlySpan<object?> parameters) => Bind(sql, parameters).ExecuteNonQuery();

    /// <summary>Executes <paramref name="sql"/> and hands its rows to <paramref name="read"/>.</summary>
    public T Query<T>(string sql, Func<SqliteDataReader, T> read, params ReadOnlySpan<object?> parameters)
    {
        using var rows = Bind(sql, parameters).ExecuteReader();
        return read(rows);
    }

    /// <summary>Executes <paramref name="sql"/> and returns the first column of the first row, or null.</summary>
    public object? Scalar(string sql, params ReadOnlySpan<object?> parameters)
    {
        var value = Bind(sql, parameters).ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public void Dispose()
    {
        foreach (var command in _prepared.Values)
        {
            command.Dispose();
        }

        _transaction?.Dispose();
    }

    internal void Begin() => _transaction = _connection.BeginTransaction(deferred: false);

    internal void Commit()
    {
        _transaction!.Commit();
        _transaction.Dispose();
        _transaction = null;
    }

    internal void Rollback()
    {
        try
        {
            _transaction?.Rollback();
        }
        catch (SqliteException)
        {
            // The failure that brought us here may already have ended the transaction.
        }

        _transaction?.Dispose();
        _transaction = null;
    }

    private SqliteCommand Bind(string sql, ReadOnlySpan<object?> parameters)
    {
        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            for (var i = 0; i < parameters.Length; i++)
            {
                command.Parameters.Add(new SqliteParameter("$" + (i + 1), null));
            }

            _prepared.Add(sql, command);
        }

        command.Transaction = _transaction;
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters[i].Value = parameters[i] ?? DBNull.Value;
        }

        return command;
    }
}
