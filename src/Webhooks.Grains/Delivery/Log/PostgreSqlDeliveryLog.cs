using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;
using Webhooks.Storage;

namespace Webhooks.Delivery.Log;

/// <summary>
/// The delivery log in PostgreSQL (table <c>webhooksdeliveries</c>, schema 004). A save is one round trip: the
/// removals and the upserts (passed as arrays) run as one batch in one transaction.
/// </summary>
internal sealed class PostgreSqlDeliveryLog(PostgreSqlDatabase database, IOptions<ClusterOptions> cluster) : IDeliveryLog
{
    private const string Select = "SELECT seq, status, record FROM webhooksdeliveries WHERE serviceid = $1 AND listenerid = $2 ORDER BY seq;";

    private const string Upsert = """
        INSERT INTO webhooksdeliveries (serviceid, listenerid, seq, status, record)
        SELECT $1, $2, r.seq, r.status, r.record FROM unnest($3::bigint[], $4::smallint[], $5::bytea[]) AS r(seq, status, record)
        ON CONFLICT (serviceid, listenerid, seq) DO UPDATE SET status = excluded.status, record = excluded.record;
        """;

    private const string Remove = "DELETE FROM webhooksdeliveries WHERE serviceid = $1 AND listenerid = $2 AND seq = ANY($3);";

    private const string RemoveAll = "DELETE FROM webhooksdeliveries WHERE serviceid = $1 AND listenerid = $2;";

    private readonly NpgsqlDataSource _database = database.DataSource;
    private readonly string _serviceId = cluster.Value.ServiceId;

    public async Task<IReadOnlyList<DeliveryRow>> LoadAsync(string listenerId)
    {
        await using var command = _database.CreateCommand(Select);
        command.Parameters.Add(new NpgsqlParameter { Value = _serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = listenerId });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<DeliveryRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new DeliveryRow(reader.GetInt64(0), (DeliveryStatus)reader.GetInt16(1), (byte[])reader.GetValue(2)));
        }

        return rows;
    }

    public async Task SaveAsync(string listenerId, DeliveryLogChanges changes)
    {
        await using var connection = await _database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(connection, transaction);
        if (changes.RemoveAll)
        {
            batch.BatchCommands.Add(Command(RemoveAll, listenerId));
        }

        if (changes.Removals.Count > 0)
        {
            batch.BatchCommands.Add(Command(Remove, listenerId, new NpgsqlParameter { Value = changes.Removals.ToArray() }));
        }

        if (changes.Upserts.Count > 0)
        {
            batch.BatchCommands.Add(Command(Upsert, listenerId,
                new NpgsqlParameter { Value = changes.Upserts.Select(r => r.Seq).ToArray() },
                new NpgsqlParameter { Value = changes.Upserts.Select(r => (short)r.Status).ToArray() },
                new NpgsqlParameter { Value = changes.Upserts.Select(r => r.Record).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea }));
        }

        await batch.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    private NpgsqlBatchCommand Command(string sql, string listenerId, params NpgsqlParameter[] rest)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = _serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = listenerId });
        command.Parameters.AddRange(rest);
        return command;
    }
}
