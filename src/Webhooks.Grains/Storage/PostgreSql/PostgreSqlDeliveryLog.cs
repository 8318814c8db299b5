using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;
using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Delivery.Log;
using Webhooks.Grains.Publishing;

namespace Webhooks.Grains.Storage.PostgreSql;

/// <summary>
/// The delivery log in PostgreSQL (table <c>webhooksdeliveries</c>, schema 004), with group commit: the saves of
/// every listener of the silo that are waiting when a transaction starts go into it together, and each completes
/// once that transaction is committed.
/// </summary>
/// <remarks>
/// A transaction per save would be two per delivery (the enqueue and the outcome), and PostgreSQL's work per
/// transaction, not the rows, would dominate. A save is acknowledged only once it is committed; it shares the
/// commit, and one statement over arrays for all its upserts, with its neighbours. If a shared transaction is
/// refused by the server, each of its saves is tried again alone, so one bad save fails no other listener's; when the
/// server cannot be reached, the transaction's saves fail together at once. The batching is a
/// <see cref="GroupCommit{TWrite}"/> flushed on demand: one transaction is in flight at a time, saves that arrive
/// meanwhile wait for the next, so batches grow with the load and an idle silo commits a lone save at once.
/// </remarks>
internal sealed partial class PostgreSqlDeliveryLog : IDeliveryLog, IGroupCommitFlush<PostgreSqlDeliveryLog.PendingSave>
{
    private const int MaxBatch = 1024;

    // The event's content only for deliveries about to be attempted: a finished one reads it again if redelivered, a
    // parked one when it is released (a listener disabled for long may hold very many).
    private static readonly string Select = $"""
        SELECT d.seq, d.status, d.record, d.eventseq, e.seq, e.resourceid, e.eventdate, e.payload, d.retainedsince
        FROM webhooksdeliveries d
        LEFT JOIN webhooksevents e ON e.seq = d.eventseq AND d.status = {(int)DeliveryStatus.Pending}
        WHERE d.serviceid = $1 AND d.listenerid = $2
        ORDER BY d.seq;
        """;

    private const string Upsert = """
        INSERT INTO webhooksdeliveries (serviceid, listenerid, seq, status, record, eventseq, retainedsince)
        SELECT $1, r.listenerid, r.seq, r.status, r.record, r.eventseq, r.retainedsince
        FROM unnest($2::text[], $3::bigint[], $4::smallint[], $5::bytea[], $6::bigint[], $7::timestamptz[]) AS r(listenerid, seq, status, record, eventseq, retainedsince)
        ON CONFLICT (serviceid, listenerid, seq) DO UPDATE SET status = excluded.status, record = excluded.record, retainedsince = excluded.retainedsince;
        """;

    // By ranges, not "seq = ANY($3)": with the statistics of a table that changes this fast, the planner may take
    // the array out of the index condition and read every row of the listener to remove a few of them.
    private const string Remove = "DELETE FROM webhooksdeliveries WHERE serviceid = $1 AND listenerid = $2 AND seq BETWEEN $3 AND $4;";

    private const string RemoveAll = "DELETE FROM webhooksdeliveries WHERE serviceid = $1 AND listenerid = ANY($2);";

    private readonly NpgsqlDataSource _database;
    private readonly string _serviceId;
    private readonly ILogger _logger;
    private readonly GroupCommit<PendingSave> _saves;
    private long _commits;

    public PostgreSqlDeliveryLog(PostgreSqlDatabase database, IOptions<ClusterOptions> cluster, ILogger<PostgreSqlDeliveryLog> logger)
    {
        (_database, _serviceId, _logger) = (database.DataSource, cluster.Value.ServiceId, logger);
        _saves = GroupCommit<PendingSave>.OnDemand(nameof(PostgreSqlDeliveryLog), MaxBatch, this);
    }

    /// <summary>Shared transactions committed so far: fewer than the saves when saves share commits.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    public async Task<IReadOnlyList<DeliveryRow>> LoadAsync(string listenerId)
    {
        await using var command = _database.CreateCommand(Select);
        command.Parameters.Add(new NpgsqlParameter { Value = _serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = listenerId });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<DeliveryRow>();
        while (await reader.ReadAsync())
        {
            var content = reader.IsDBNull(4)
                ? null
                : new EventContent(
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.GetFieldValue<DateTimeOffset>(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7));
            rows.Add(new DeliveryRow(
                reader.GetInt64(0), (DeliveryStatus)reader.GetInt16(1), (byte[])reader.GetValue(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3), content)
            {
                RetainedSince = reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
            });
        }

        return rows;
    }

    public Task SaveAsync(string listenerId, DeliveryLogChanges changes)
    {
        if (changes.IsEmpty)
        {
            return Task.CompletedTask;
        }

        var save = new PendingSave(listenerId, changes);
        _saves.Enqueue(save);
        return save.Task;
    }

    // Only a statement the server refused can be one save's fault. When the server cannot be reached, every save
    // would fail again, each after its own connection timeout, while the silo's saves pile up behind.
    bool IGroupCommitFlush<PendingSave>.IsWriteFault(Exception failure) => failure is PostgresException;

    void IGroupCommitFlush<PendingSave>.BatchFailed(Exception failure, int count) => LogBatchFailed(_logger, failure, count);

    async ValueTask<Exception?> IGroupCommitFlush<PendingSave>.TryFlushAsync(IReadOnlyList<PendingSave> saves)
    {
        try
        {
            var merged = MergedChanges.Merge(saves.Select(s => (s.ListenerId, s.Changes)));
            // No explicit transaction: a batch goes in one round trip with one Sync, so PostgreSQL runs it as one
            // implicit transaction, and an error in any statement rolls back the ones before it. BEGIN and COMMIT
            // would only add a second round trip.
            await using var connection = await _database.OpenConnectionAsync();
            await using var batch = new NpgsqlBatch(connection);
            if (merged.RemoveAll.Count > 0)
            {
                batch.BatchCommands.Add(Command(RemoveAll, new NpgsqlParameter { Value = merged.RemoveAll.ToArray() }));
            }

            foreach (var (listenerId, from, to) in merged.Removals)
            {
                batch.BatchCommands.Add(Command(Remove, new NpgsqlParameter { Value = listenerId }, new NpgsqlParameter { Value = from }, new NpgsqlParameter { Value = to }));
            }

            if (merged.Upserts.Count > 0)
            {
                var count = merged.Upserts.Count;
                var (listenerIds, seqs, statuses, records, eventSeqs) = (new string[count], new long[count], new short[count], new byte[count][], new long?[count]);
                var retainedSince = new DateTime?[count];
                for (var i = 0; i < count; i++)
                {
                    var (listenerId, row) = merged.Upserts[i];
                    (listenerIds[i], seqs[i], statuses[i], records[i], eventSeqs[i]) = (listenerId, row.Seq, (short)row.Status, row.Record, row.EventSeq);
                    retainedSince[i] = row.RetainedSince?.UtcDateTime;
                }

                batch.BatchCommands.Add(Command(Upsert,
                    new NpgsqlParameter { Value = listenerIds },
                    new NpgsqlParameter { Value = seqs },
                    new NpgsqlParameter { Value = statuses },
                    new NpgsqlParameter { Value = records, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea },
                    new NpgsqlParameter { Value = eventSeqs, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
                    new NpgsqlParameter { Value = retainedSince, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz }));
            }

            await batch.ExecuteNonQueryAsync();
            Interlocked.Increment(ref _commits);
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] rest)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = _serviceId });
        command.Parameters.AddRange(rest);
        return command;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A transaction of {Count} delivery-log saves failed; retrying each on its own")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    internal sealed class PendingSave(string listenerId, DeliveryLogChanges changes) : IGroupCommitWrite
    {
        // Completed on the draining task: a grain's await resumes on its own activation's scheduler anyway.
        private readonly TaskCompletionSource _done = new();

        public string ListenerId => listenerId;

        public DeliveryLogChanges Changes => changes;

        public Task Task => _done.Task;

        public void Complete() => _done.TrySetResult();

        public void Fail(Exception exception) => _done.TrySetException(exception);
    }
}
