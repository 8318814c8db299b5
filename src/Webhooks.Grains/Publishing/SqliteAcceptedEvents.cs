using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Webhooks.Storage;

namespace Webhooks.Publishing;

/// <summary>Accepted events in the SQLite file (table <c>WebhooksAcceptedEvents</c>, schema 004), written through <see cref="SqliteWriter"/>.</summary>
internal sealed class SqliteAcceptedEvents(SqliteWriter writer, IOptions<ClusterOptions> cluster) : IAcceptedEvents
{
    private const string Find = "SELECT Matched FROM WebhooksAcceptedEvents WHERE ServiceId = $1 AND TenantId = $2 AND EventId = $3;";

    private const string Insert = """
        INSERT INTO WebhooksAcceptedEvents (ServiceId, TenantId, EventId, Matched, AcceptedAt) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT DO NOTHING;
        """;

    private readonly string _serviceId = cluster.Value.ServiceId;

    public Task<int?> FindAsync(string tenantId, string eventId) =>
        Task.FromResult(writer.Read(Find, static row => row.Read() ? row.GetInt32(0) : (int?)null, _serviceId, tenantId, eventId));

    public Task<int> RecordAsync(string tenantId, string eventId, int matched, DateTimeOffset acceptedAt) =>
        writer.ExecuteAsync(s =>
        {
            s.Execute(Insert, _serviceId, tenantId, eventId, matched, acceptedAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            return Convert.ToInt32(s.Scalar(Find, _serviceId, tenantId, eventId), System.Globalization.CultureInfo.InvariantCulture);
        });
}
