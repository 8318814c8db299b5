using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Webhooks.Storage;

namespace Webhooks.Publishing;

/// <summary>Accepted events in PostgreSQL (table <c>webhooksacceptedevents</c>, schema 005).</summary>
internal sealed class PostgreSqlAcceptedEvents(PostgreSqlDatabase database, IOptions<ClusterOptions> cluster) : IAcceptedEvents
{
    private const string Find = "SELECT matched FROM webhooksacceptedevents WHERE serviceid = $1 AND tenantid = $2 AND eventid = $3;";

    // The first record wins: a concurrent publish of the same id gets the count stored by whichever came first.
    private const string Record = """
        WITH inserted AS (
            INSERT INTO webhooksacceptedevents (serviceid, tenantid, eventid, matched, acceptedat) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT DO NOTHING RETURNING matched)
        SELECT matched FROM inserted
        UNION ALL
        SELECT matched FROM webhooksacceptedevents WHERE serviceid = $1 AND tenantid = $2 AND eventid = $3
        LIMIT 1;
        """;

    private readonly NpgsqlDataSource _database = database.DataSource;
    private readonly string _serviceId = cluster.Value.ServiceId;

    public async Task<int?> FindAsync(string tenantId, string eventId)
    {
        await using var command = Command(Find, tenantId, eventId);
        return await command.ExecuteScalarAsync() is int matched ? matched : null;
    }

    public async Task<int> RecordAsync(string tenantId, string eventId, int matched, DateTimeOffset acceptedAt)
    {
        await using var command = Command(Record, tenantId, eventId);
        command.Parameters.Add(new NpgsqlParameter { Value = matched });
        command.Parameters.Add(new NpgsqlParameter { Value = acceptedAt.ToUniversalTime() });
        return (int)(await command.ExecuteScalarAsync())!;
    }

    private NpgsqlCommand Command(string sql, string tenantId, string eventId)
    {
        var command = _database.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = _serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = eventId });
        return command;
    }
}
