using Npgsql;
using NpgsqlTypes;
using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Publishing;

namespace Webhooks.Grains.Storage.PostgreSql;

/// <summary>
/// Stores an event under its id unless the id is known (in <c>webhooksevents</c> or, accepted before events were stored
/// once, <c>webhooksacceptedevents</c>), and answers with what is stored under it: null when a conflicting row
/// committed after this statement's snapshot hid it from both, and the caller asks again.
/// </summary>
internal sealed class EventAcceptWrite(string serviceId, EventEnvelope envelope, DateTimeOffset acceptedAt) : PostgreSqlWrite<AcceptedEvent?>
{
    private const int Inserted = 0, Stored = 1;

    private const string Accept = """
        WITH legacy AS (SELECT matched FROM webhooksacceptedevents WHERE serviceid = $1 AND tenantid = $2 AND eventid = $3),
        inserted AS (
            INSERT INTO webhooksevents (serviceid, tenantid, eventid, eventcode, resourceid, eventdate, acceptedat, payload)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8 WHERE NOT EXISTS (SELECT 1 FROM legacy)
            ON CONFLICT DO NOTHING
            RETURNING seq)
        SELECT 0, seq, NULL::integer, NULL::text, NULL::text, NULL::timestamptz, NULL::text FROM inserted
        UNION ALL
        SELECT 1, seq, matched, eventcode, resourceid, eventdate, payload FROM webhooksevents WHERE serviceid = $1 AND tenantid = $2 AND eventid = $3
        UNION ALL
        SELECT 2, NULL, matched, NULL, NULL, NULL, NULL FROM legacy
        LIMIT 1;
        """;

    /// <summary>The event's key, which orders the events of one transaction.</summary>
    public (string TenantId, string EventId) Key => (envelope.TenantId, envelope.EventId);

    public NpgsqlBatchCommand Command()
    {
        var command = new NpgsqlBatchCommand(Accept);
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = envelope.TenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = envelope.EventId });
        command.Parameters.Add(new NpgsqlParameter { Value = envelope.EventCode });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)envelope.ResourceId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = envelope.EventDate.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = acceptedAt.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)envelope.Payload ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        return command;
    }

    public async Task ReadAsync(NpgsqlDataReader row)
    {
        Result = !await row.ReadAsync()
            ? null
            : row.GetInt32(0) switch
            {
                Inserted => new AcceptedEvent(envelope with { Seq = row.GetInt64(1) }, null),
                Stored => new AcceptedEvent(
                    new EventEnvelope(envelope.TenantId, envelope.EventId, row.GetString(3), NullableString(row, 4), row.GetFieldValue<DateTimeOffset>(5), NullableString(row, 6), row.GetInt64(1)),
                    row.IsDBNull(2) ? null : row.GetInt32(2)),
                _ => new AcceptedEvent(envelope, row.GetInt32(2)),
            };
    }

    private static string? NullableString(NpgsqlDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);
}
