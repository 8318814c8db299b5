using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Webhooks.Storage;

namespace Webhooks.Delivery.Log;

/// <summary>The delivery log in the SQLite file (table <c>WebhooksDeliveries</c>), written through the silo's <see cref="SqliteWriter"/>.</summary>
internal sealed class SqliteDeliveryLog(SqliteWriter writer, IOptions<ClusterOptions> cluster) : IDeliveryLog
{
    private const string Select = "SELECT Seq, Status, Record FROM WebhooksDeliveries WHERE ServiceId = $1 AND ListenerId = $2 ORDER BY Seq;";

    private const string Upsert = """
        INSERT INTO WebhooksDeliveries (ServiceId, ListenerId, Seq, Status, Record) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (ServiceId, ListenerId, Seq) DO UPDATE SET Status = excluded.Status, Record = excluded.Record;
        """;

    private const string Remove = "DELETE FROM WebhooksDeliveries WHERE ServiceId = $1 AND ListenerId = $2 AND Seq BETWEEN $3 AND $4;";

    private const string RemoveAll = "DELETE FROM WebhooksDeliveries WHERE ServiceId = $1 AND ListenerId = $2;";

    private readonly string _serviceId = cluster.Value.ServiceId;

    public Task<IReadOnlyList<DeliveryRow>> LoadAsync(string listenerId) =>
        Task.FromResult(writer.Read(Select, static reader =>
        {
            var rows = new List<DeliveryRow>();
            while (reader.Read())
            {
                rows.Add(new DeliveryRow(reader.GetInt64(0), (DeliveryStatus)reader.GetInt32(1), (byte[])reader.GetValue(2)));
            }

            return (IReadOnlyList<DeliveryRow>)rows;
        }, _serviceId, listenerId));

    public Task SaveAsync(string listenerId, DeliveryLogChanges changes) =>
        writer.ExecuteAsync(s =>
        {
            if (changes.RemoveAll)
            {
                s.Execute(RemoveAll, _serviceId, listenerId);
            }

            foreach (var (from, to) in DeliveryLogChanges.Runs(changes.Removals))
            {
                s.Execute(Remove, _serviceId, listenerId, from, to);
            }

            foreach (var row in changes.Upserts)
            {
                s.Execute(Upsert, _serviceId, listenerId, row.Seq, (int)row.Status, row.Record);
            }

            return true;
        });
}
