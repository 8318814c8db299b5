using Npgsql;
using NpgsqlTypes;
using Webhooks.Grains.Delivery.Log;

namespace Webhooks.Grains.Storage.PostgreSql;

/// <summary>
/// One listener's save of its delivery log (table <c>webhooksdeliveries</c>, schema 004). The saves sharing a
/// transaction are merged as <see cref="MergedChanges"/> does, then stored with one statement over arrays for all
/// their upserts.
/// </summary>
internal sealed class DeliverySaveWrite(string serviceId, string listenerId, DeliveryLogChanges changes) : PostgreSqlWrite<bool>
{
    // Fields, not the constructor's parameters: the statements of a transaction are built from every save in it.
    private readonly string _serviceId = serviceId;
    private readonly string _listenerId = listenerId;
    private readonly DeliveryLogChanges _changes = changes;

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

    /// <summary>Adds the statements that store <paramref name="saves"/>, in the order given; they answer with no rows.</summary>
    public static void AddCommands(NpgsqlBatch batch, IReadOnlyList<DeliverySaveWrite> saves)
    {
        foreach (var service in saves.GroupBy(s => s._serviceId, StringComparer.Ordinal))
        {
            var serviceId = service.Key;
            var merged = MergedChanges.Merge(service.Select(s => (s._listenerId, s._changes)));
            if (merged.RemoveAll.Count > 0)
            {
                batch.BatchCommands.Add(Command(serviceId, RemoveAll, new NpgsqlParameter { Value = merged.RemoveAll.ToArray() }));
            }

            foreach (var (listenerId, from, to) in merged.Removals)
            {
                batch.BatchCommands.Add(Command(serviceId, Remove, new NpgsqlParameter { Value = listenerId }, new NpgsqlParameter { Value = from }, new NpgsqlParameter { Value = to }));
            }

            if (merged.Upserts.Count > 0)
            {
                batch.BatchCommands.Add(UpsertCommand(serviceId, merged.Upserts));
            }
        }
    }

    private static NpgsqlBatchCommand UpsertCommand(string serviceId, IReadOnlyList<(string ListenerId, DeliveryRow Row)> upserts)
    {
        var count = upserts.Count;
        var (listenerIds, seqs, statuses, records, eventSeqs) = (new string[count], new long[count], new short[count], new byte[count][], new long?[count]);
        var retainedSince = new DateTime?[count];
        for (var i = 0; i < count; i++)
        {
            var (listenerId, row) = upserts[i];
            (listenerIds[i], seqs[i], statuses[i], records[i], eventSeqs[i]) = (listenerId, row.Seq, (short)row.Status, row.Record, row.EventSeq);
            retainedSince[i] = row.RetainedSince?.UtcDateTime;
        }

        return Command(serviceId, Upsert,
            new NpgsqlParameter { Value = listenerIds },
            new NpgsqlParameter { Value = seqs },
            new NpgsqlParameter { Value = statuses },
            new NpgsqlParameter { Value = records, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea },
            new NpgsqlParameter { Value = eventSeqs, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
            new NpgsqlParameter { Value = retainedSince, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
    }

    private static NpgsqlBatchCommand Command(string serviceId, string sql, params NpgsqlParameter[] rest)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        command.Parameters.AddRange(rest);
        return command;
    }
}
