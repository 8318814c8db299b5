using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Delivery.Log;
using Webhooks.Grains.Publishing;

namespace Webhooks.Grains.Storage.PostgreSql;

/// <summary>
/// The delivery log in PostgreSQL (table <c>webhooksdeliveries</c>, schema 004). Saves go through the silo's
/// <see cref="PostgreSqlWriter"/>: the saves of every listener waiting when a transaction starts, and the events' own
/// writes, go into it together, and each completes once that transaction is committed.
/// </summary>
/// <remarks>
/// A transaction per save would be two per delivery (the enqueue and the outcome), and PostgreSQL's work per
/// transaction, not the rows, would dominate.
/// </remarks>
internal sealed class PostgreSqlDeliveryLog(PostgreSqlDatabase database, IOptions<ClusterOptions> cluster) : IDeliveryLog
{
    // The event's content only for deliveries about to be attempted: a finished one reads it again if redelivered, a
    // parked one when it is released (a listener disabled for long may hold very many).
    private static readonly string Select = $"""
        SELECT d.seq, d.status, d.record, d.eventseq, e.seq, e.resourceid, e.eventdate, e.payload, d.retainedsince
        FROM webhooksdeliveries d
        LEFT JOIN webhooksevents e ON e.seq = d.eventseq AND d.status = {(int)DeliveryStatus.Pending}
        WHERE d.serviceid = $1 AND d.listenerid = $2
        ORDER BY d.seq;
        """;

    private readonly NpgsqlDataSource _database = database.DataSource;
    private readonly PostgreSqlWriter _writer = database.DeliveryWriter;
    private readonly string _serviceId = cluster.Value.ServiceId;

    /// <summary>Transactions committed so far by the silo's writer: fewer than the saves when saves share them.</summary>
    public long Commits => _writer.Commits;

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

    public Task SaveAsync(string listenerId, DeliveryLogChanges changes) =>
        changes.IsEmpty ? Task.CompletedTask : _writer.WriteAsync(new DeliverySaveWrite(_serviceId, listenerId, changes));
}
