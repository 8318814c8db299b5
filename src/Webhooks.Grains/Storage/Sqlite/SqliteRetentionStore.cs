using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Retention;

namespace Webhooks.Grains.Storage.Sqlite;

/// <summary>The retention sweeper's batches on the SQLite file, each one write of the silo's <see cref="SqliteWriter"/>.</summary>
internal sealed class SqliteRetentionStore(SqliteWriter writer, SqliteDeliveryJournal journal, IOptions<ClusterOptions> cluster) : IRetentionStore
{
    private const string LastBefore =
        "SELECT Seq FROM WebhooksEvents WHERE ServiceId = $1 AND AcceptedAt < $2 ORDER BY AcceptedAt DESC LIMIT 1;";

    private const string First = "SELECT Seq FROM WebhooksEvents WHERE ServiceId = $1 ORDER BY Seq LIMIT 1;";

    private static readonly string Deliveries = $"""
        DELETE FROM WebhooksDeliveries WHERE ServiceId = $1 AND (ListenerId, Seq) IN (
            SELECT ListenerId, Seq FROM WebhooksDeliveries
            WHERE ServiceId = $1 AND EventSeq >= $2 AND EventSeq <= max($3, $4)
              AND ((Status = {(int)DeliveryStatus.Succeeded} AND EventSeq <= $3 AND (RetainedSince IS NULL OR RetainedSince < $5))
                OR (Status IN ({SweptStatuses.Unsuccessful}) AND EventSeq <= $4 AND (RetainedSince IS NULL OR RetainedSince < $6)))
            ORDER BY EventSeq LIMIT $7)
        RETURNING EventSeq;
        """;

    private static readonly string Events = $"""
        DELETE FROM WebhooksEvents WHERE Seq IN (
            SELECT e.Seq FROM WebhooksEvents e
            WHERE e.Seq >= $2 AND e.Seq <= $3 AND e.ServiceId = $1 AND e.AcceptedAt < $4 AND (e.Matched IS NOT NULL OR e.AcceptedAt < $6
                   OR EXISTS (SELECT 1 FROM WebhooksEventOutcomes o WHERE o.Seq = e.Seq))
              AND NOT EXISTS (SELECT 1 FROM WebhooksDeliveries d
                              WHERE d.ServiceId = $1 AND d.EventSeq = e.Seq AND d.Status IN ({SweptStatuses.Waiting}))
            ORDER BY e.Seq LIMIT $5)
        RETURNING Seq;
        """;

    private const string Legacy = """
        DELETE FROM WebhooksAcceptedEvents WHERE ServiceId = $1 AND (TenantId, EventId) IN (
            SELECT TenantId, EventId FROM WebhooksAcceptedEvents WHERE ServiceId = $1 AND AcceptedAt < $2 LIMIT $3);
        """;

    private readonly string _serviceId = cluster.Value.ServiceId;

    public Task<long?> LastEventBeforeAsync(DateTimeOffset cutoff) =>
        Task.FromResult(writer.Read(LastBefore, static r => r.Read() ? r.GetInt64(0) : (long?)null, _serviceId, SqliteText.From(cutoff)));

    public Task<long?> FirstEventAsync() =>
        Task.FromResult(writer.Read(First, static r => r.Read() ? r.GetInt64(0) : (long?)null, _serviceId));

    public Task<SweptBatch> RemoveDeliveriesAsync(long fromEvent, DeliveryCutoffs cutoffs, int max) =>
        writer.ExecuteAsync(s =>
        {
            journal.Fold(s); // the sweep reads statuses from WebhooksDeliveries alone
            return s.Query(Deliveries, Swept, _serviceId, fromEvent, cutoffs.SucceededUpTo, cutoffs.FailedUpTo,
            cutoffs.SucceededBefore.ToUnixTimeMilliseconds(), cutoffs.FailedBefore.ToUnixTimeMilliseconds(), max);
        });

    public Task<SweptBatch> RemoveEventsAsync(long fromEvent, long upTo, DateTimeOffset cutoff, DateTimeOffset abandonedBefore, int max) =>
        writer.ExecuteAsync(s =>
        {
            journal.Fold(s); // whether a delivery still waits for an event is read from WebhooksDeliveries
            return s.Query(Events, Swept, _serviceId, fromEvent, upTo, SqliteText.From(cutoff), max, SqliteText.From(abandonedBefore));
        });

    public Task<int> RemoveLegacyEventIdsAsync(DateTimeOffset cutoff, int max) =>
        writer.ExecuteAsync(s => s.Execute(Legacy, _serviceId, SqliteText.From(cutoff), max));

    private static SweptBatch Swept(Microsoft.Data.Sqlite.SqliteDataReader rows)
    {
        var (removed, last) = (0, 0L);
        while (rows.Read())
        {
            removed++;
            last = Math.Max(last, rows.GetInt64(0));
        }

        return new SweptBatch(removed, last);
    }
}
