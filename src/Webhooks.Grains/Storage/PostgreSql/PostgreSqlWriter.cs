using Microsoft.Extensions.Logging;
using Npgsql;

namespace Webhooks.Grains.Storage.PostgreSql;

/// <summary>
/// Writes to the tables the server keeps itself in PostgreSQL, with group commit: the writes waiting when a transaction
/// starts go into it together, in one round trip, and each completes once that transaction is committed. A silo has
/// two (<see cref="PostgreSqlDatabase"/>): one for accepted events and their publishes' outcomes, one for delivery-log
/// saves.
/// </summary>
/// <remarks>
/// <para>
/// A transaction costs PostgreSQL more than the rows in it, so the events and outcomes of concurrent publishes share
/// transactions, as the delivery log's saves do. The two do not share a writer: behind a transaction of a thousand
/// saves (a backlog draining after a peak) every publish would wait, which showed in the half-peak tail
/// (docs/performance.md).
/// </para>
/// <para>
/// No explicit transaction: a batch goes in one round trip with one Sync, so PostgreSQL runs it as one implicit
/// transaction, and an error in any statement rolls back the ones before it (BEGIN and COMMIT would only add a second
/// round trip). If the server refuses a shared transaction, each of its writes is tried again alone, so one bad write
/// fails no other; when the server cannot be reached, the writes fail together at once. One transaction is in flight
/// at a time; writes that arrive meanwhile wait for the next, so batches grow with the load and an idle silo commits a
/// lone write at once.
/// </para>
/// </remarks>
internal sealed partial class PostgreSqlWriter : IGroupCommitFlush<PostgreSqlWrite>, IDisposable
{
    private const int MaxBatch = 1024;

    private readonly NpgsqlDataSource _database;
    private readonly ILogger _logger;
    private readonly GroupCommit<PostgreSqlWrite> _writes;
    private long _commits;

    public PostgreSqlWriter(NpgsqlDataSource database, ILogger logger)
    {
        (_database, _logger) = (database, logger);
        _writes = GroupCommit<PostgreSqlWrite>.OnDemand(nameof(PostgreSqlWriter), MaxBatch, this);
    }

    /// <summary>Transactions committed so far: fewer than the writes when writes share them.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Queues <paramref name="write"/> for the next transaction; its task completes once that is committed.</summary>
    public Task<T> WriteAsync<T>(PostgreSqlWrite<T> write)
    {
        _writes.Enqueue(write);
        return write.Task;
    }

    public void Dispose() => _writes.Dispose();

    // Only a statement the server refused can be one write's fault. When the server cannot be reached, every write
    // would fail again, each after its own connection timeout, while the silo's writes pile up behind.
    bool IGroupCommitFlush<PostgreSqlWrite>.IsWriteFault(Exception failure) => failure is PostgresException;

    void IGroupCommitFlush<PostgreSqlWrite>.BatchFailed(Exception failure, int count) => LogBatchFailed(_logger, failure, count);

    async ValueTask<Exception?> IGroupCommitFlush<PostgreSqlWrite>.TryFlushAsync(IReadOnlyList<PostgreSqlWrite> writes)
    {
        var accepts = new List<EventAcceptWrite>();
        var outcomes = new List<EventOutcomeWrite>();
        var saves = new List<DeliverySaveWrite>();
        foreach (var write in writes)
        {
            switch (write)
            {
                case EventAcceptWrite accept: accepts.Add(accept); break;
                case EventOutcomeWrite outcome: outcomes.Add(outcome); break;
                case DeliverySaveWrite save: saves.Add(save); break;
                default: throw new InvalidOperationException($"No PostgreSQL statement writes a {write.GetType().Name}.");
            }
        }

        NpgsqlConnection? connection = null;
        try
        {
            connection = await _database.OpenConnectionAsync();
            await using var batch = new NpgsqlBatch(connection);

            // The statements that answer with rows come first, in the order their answers are read. Events in key
            // order: two silos storing the same new ids wait for each other in one order, never in a cycle.
            accepts.Sort(static (x, y) => string.CompareOrdinal(x.Key.TenantId, y.Key.TenantId) is var tenant and not 0
                ? tenant
                : string.CompareOrdinal(x.Key.EventId, y.Key.EventId));
            foreach (var accept in accepts)
            {
                batch.BatchCommands.Add(accept.Command());
            }

            if (outcomes.Count > 0)
            {
                batch.BatchCommands.Add(EventOutcomeWrite.Command(outcomes));
            }

            DeliverySaveWrite.AddCommands(batch, saves);

            await using (var rows = await batch.ExecuteReaderAsync())
            {
                var first = true;
                foreach (var accept in accepts)
                {
                    await NextAnswerAsync(rows, first);
                    first = false;
                    await accept.ReadAsync(rows);
                }

                if (outcomes.Count > 0)
                {
                    await NextAnswerAsync(rows, first);
                    await EventOutcomeWrite.ReadAsync(rows, outcomes);
                }

                // Statements after these answer with no rows; reading on surfaces an error any of them raised.
                while (await rows.NextResultAsync())
                {
                }
            }

            Interlocked.Increment(ref _commits);
            return null;
        }
        catch (Exception ex)
        {
            if (ex is PostgresException && connection is not null)
            {
                ForgetPrepared(connection);
            }

            return ex;
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Drops the connection's prepared statements after the server refused a statement: a statement that fails while
    /// it is being prepared automatically can leave the client's record of them out of step with the server's, and
    /// the next batch on the connection (the refused batch's writes tried again alone) would then fail on a protocol
    /// error instead of running. When even that fails, the connection is not reused.
    /// </summary>
    private static void ForgetPrepared(NpgsqlConnection connection)
    {
        try
        {
            connection.UnprepareAll();
        }
        catch (Exception)
        {
            NpgsqlConnection.ClearPool(connection);
        }
    }

    // The reader starts on the first statement's answer; each later one is the next result set.
    private static async Task NextAnswerAsync(NpgsqlDataReader rows, bool first)
    {
        if (!first && !await rows.NextResultAsync())
        {
            throw new InvalidOperationException("A statement of a PostgreSQL batch returned no result set.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A PostgreSQL transaction of {Count} writes failed; retrying each on its own")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);
}

/// <summary>A write queued in the <see cref="PostgreSqlWriter"/>.</summary>
internal abstract class PostgreSqlWrite : IGroupCommitWrite
{
    public abstract void Complete();

    public abstract void Fail(Exception exception);
}

/// <summary>A write whose task completes with what its statement answered, once the transaction is committed.</summary>
internal abstract class PostgreSqlWrite<T> : PostgreSqlWrite
{
    // Completed on the flushing task: a grain's await resumes on its own activation's scheduler anyway.
    private readonly TaskCompletionSource<T> _done = new();

    /// <summary>What the statement answered, read before the commit is known; the task gets it only once committed.</summary>
    protected T Result { get; set; } = default!;

    public Task<T> Task => _done.Task;

    public override void Complete() => _done.TrySetResult(Result);

    public override void Fail(Exception exception) => _done.TrySetException(exception);
}
