using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Delivery.Log;
using Webhooks.Grains.Publishing;

namespace Webhooks.Grains.Storage.Sqlite;

/// <summary>
/// The delivery log in the SQLite file (table <c>WebhooksDeliveries</c>), written through the silo's <see cref="SqliteWriter"/>
/// and its journal (<see cref="SqliteDeliveryJournal"/>): a save appends to the journal, a load folds it first when it
/// holds changes of the listener.
/// </summary>
internal sealed class SqliteDeliveryLog(SqliteWriter writer, SqliteDeliveryJournal journal, IOptions<ClusterOptions> cluster) : IDeliveryLog
{
    // The event's content only for deliveries about to be attempted: a finished one reads it again if redelivered, a
    // parked one when it is released (a listener disabled for long may hold very many).
    private static readonly string Select = $"""
        SELECT d.Seq, d.Status, d.Record, d.EventSeq, e.Seq, e.ResourceId, e.EventDate, e.Payload, d.RetainedSince
        FROM WebhooksDeliveries d
        LEFT JOIN WebhooksEvents e ON e.Seq = d.EventSeq AND d.Status = {(int)DeliveryStatus.Pending}
        WHERE d.ServiceId = $1 AND d.ListenerId = $2
        ORDER BY d.Seq;
        """;

    private readonly string _serviceId = cluster.Value.ServiceId;

    public async Task<IReadOnlyList<DeliveryRow>> LoadAsync(string listenerId)
    {
        if (journal.HoldsChangesOf(writer, listenerId))
        {
            await writer.ExecuteAsync(s =>
            {
                journal.Fold(s);
                return true;
            });
        }

        return writer.Read(Select, static reader =>
        {
            var rows = new List<DeliveryRow>();
            while (reader.Read())
            {
                var content = reader.IsDBNull(4)
                    ? null
                    : new EventContent(
                        reader.IsDBNull(5) ? null : reader.GetString(5),
                        SqliteText.ToDate(reader.GetString(6)),
                        reader.IsDBNull(7) ? null : reader.GetString(7));
                rows.Add(new DeliveryRow(
                    reader.GetInt64(0), (DeliveryStatus)reader.GetInt32(1), (byte[])reader.GetValue(2),
                    reader.IsDBNull(3) ? null : reader.GetInt64(3), content)
                {
                    RetainedSince = reader.IsDBNull(8) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
                });
            }

            return (IReadOnlyList<DeliveryRow>)rows;
        }, _serviceId, listenerId);
    }

    public Task SaveAsync(string listenerId, DeliveryLogChanges changes) =>
        writer.ExecuteAsync(s =>
        {
            journal.Write(s, listenerId, changes);
            return true;
        });
}
