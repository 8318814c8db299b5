using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Retention;

namespace Webhooks.Grains.Storage.PostgreSql;

/// <summary>
/// The retention sweeper's batches in PostgreSQL: one statement, so one short implicit transaction, each. Rows a
/// listener is writing at that moment are skipped (<c>SKIP LOCKED</c>), so a sweep never waits on the delivery path;
/// a later pass takes them.
/// </summary>
internal sealed class PostgreSqlRetentionStore(PostgreSqlDatabase database, IOptions<ClusterOptions> cluster) : IRetentionStore
{
    private const string LastBefore =
        "SELECT seq FROM webhooksevents WHERE serviceid = $1 AND acceptedat < $2 ORDER BY acceptedat DESC LIMIT 1;";

    private const string First = "SELECT seq FROM webhooksevents WHERE serviceid = $1 ORDER BY seq LIMIT 1;";

    private static readonly string Deliveries = $"""
        WITH doomed AS (
            SELECT listenerid, seq FROM webhooksdeliveries
            WHERE serviceid = $1 AND eventseq >= $2 AND eventseq <= GREATEST($3, $4)
              AND ((status = {(int)DeliveryStatus.Succeeded} AND eventseq <= $3 AND (retainedsince IS NULL OR retainedsince < $5))
                OR (status IN ({SweptStatuses.Unsuccessful}) AND eventseq <= $4 AND (retainedsince IS NULL OR retainedsince < $6)))
            ORDER BY eventseq LIMIT $7
            FOR UPDATE SKIP LOCKED)
        DELETE FROM webhooksdeliveries d USING doomed
        WHERE d.serviceid = $1 AND d.listenerid = doomed.listenerid AND d.seq = doomed.seq
        RETURNING d.eventseq;
        """;

    private static readonly string Events = $"""
        WITH doomed AS (
            SELECT e.seq FROM webhooksevents e
            WHERE e.seq >= $2 AND e.seq <= $3 AND e.serviceid = $1 AND e.acceptedat < $4 AND (e.matched IS NOT NULL OR e.acceptedat < $6)
              AND NOT EXISTS (SELECT 1 FROM webhooksdeliveries d
                              WHERE d.serviceid = $1 AND d.eventseq = e.seq AND d.status IN ({SweptStatuses.Waiting}))
            ORDER BY e.seq LIMIT $5
            FOR UPDATE SKIP LOCKED)
        DELETE FROM webhooksevents e USING doomed WHERE e.seq = doomed.seq
        RETURNING e.seq;
        """;

    private const string Legacy = """
        WITH doomed AS (
            SELECT tenantid, eventid FROM webhooksacceptedevents WHERE serviceid = $1 AND acceptedat < $2 LIMIT $3
            FOR UPDATE SKIP LOCKED)
        DELETE FROM webhooksacceptedevents a USING doomed
        WHERE a.serviceid = $1 AND a.tenantid = doomed.tenantid AND a.eventid = doomed.eventid;
        """;

    private readonly NpgsqlDataSource _database = database.DataSource;
    private readonly string _serviceId = cluster.Value.ServiceId;

    public async Task<long?> LastEventBeforeAsync(DateTimeOffset cutoff)
    {
        await using var command = Command(LastBefore, cutoff.ToUniversalTime());
        return await command.ExecuteScalarAsync() is long seq ? seq : null;
    }

    public async Task<long?> FirstEventAsync()
    {
        await using var command = Command(First);
        return await command.ExecuteScalarAsync() is long seq ? seq : null;
    }

    public Task<SweptBatch> RemoveDeliveriesAsync(long fromEvent, DeliveryCutoffs cutoffs, int max) =>
        SweepAsync(Command(
            Deliveries, fromEvent, cutoffs.SucceededUpTo, cutoffs.FailedUpTo,
            cutoffs.SucceededBefore.ToUniversalTime(), cutoffs.FailedBefore.ToUniversalTime(), max));

    public Task<SweptBatch> RemoveEventsAsync(long fromEvent, long upTo, DateTimeOffset cutoff, DateTimeOffset abandonedBefore, int max) =>
        SweepAsync(Command(Events, fromEvent, upTo, cutoff.ToUniversalTime(), max, abandonedBefore.ToUniversalTime()));

    public async Task<int> RemoveLegacyEventIdsAsync(DateTimeOffset cutoff, int max)
    {
        await using var command = Command(Legacy, cutoff.ToUniversalTime(), max);
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task<SweptBatch> SweepAsync(NpgsqlCommand command)
    {
        await using (command)
        {
            await using var rows = await command.ExecuteReaderAsync();
            var (removed, last) = (0, 0L);
            while (await rows.ReadAsync())
            {
                removed++;
                last = Math.Max(last, rows.GetInt64(0));
            }

            return new SweptBatch(removed, last);
        }
    }

    private NpgsqlCommand Command(string sql, params object[] parameters)
    {
        var command = _database.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = _serviceId });
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
