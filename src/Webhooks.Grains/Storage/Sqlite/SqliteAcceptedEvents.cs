using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Publishing;
using Webhooks.Grains.Publishing;

namespace Webhooks.Grains.Storage.Sqlite;

/// <summary>
/// Accepted events in the SQLite file (table <c>WebhooksEvents</c>, schema 005, and their publishes' outcomes in
/// <c>WebhooksEventOutcomes</c>, schema 009; ids accepted before 005 in <c>WebhooksAcceptedEvents</c>), written through
/// <see cref="SqliteWriter"/>.
/// </summary>
/// <remarks>
/// The feed's order is Seq alone: the one writer commits one transaction at a time and every Seq it takes is above
/// every Seq committed before, so no row can become visible later below one a reader has already seen.
/// </remarks>
internal sealed class SqliteAcceptedEvents(SqliteWriter writer, IOptions<ClusterOptions> cluster) : IAcceptedEvents
{
    // An id accepted before events were stored once is only in the older table, with its count.
    private const string Insert = """
        INSERT INTO WebhooksEvents (ServiceId, TenantId, EventId, EventCode, ResourceId, EventDate, AcceptedAt, Payload)
        SELECT $1, $2, $3, $4, $5, $6, $7, $8
        WHERE NOT EXISTS (SELECT 1 FROM WebhooksAcceptedEvents WHERE ServiceId = $1 AND TenantId = $2 AND EventId = $3)
        ON CONFLICT DO NOTHING
        RETURNING Seq;
        """;

    private const string FindStored = """
        SELECT e.Seq, COALESCE(o.Matched, e.Matched), e.EventCode, e.ResourceId, e.EventDate, e.Payload
        FROM WebhooksEvents e LEFT JOIN WebhooksEventOutcomes o ON o.Seq = e.Seq
        WHERE e.ServiceId = $1 AND e.TenantId = $2 AND e.EventId = $3;
        """;

    private const string FindLegacy = "SELECT Matched FROM WebhooksAcceptedEvents WHERE ServiceId = $1 AND TenantId = $2 AND EventId = $3;";

    // The first outcome stays; none is recorded for an event that is gone, or whose outcome is in its row (schema 005 to 008).
    private const string Complete = """
        INSERT INTO WebhooksEventOutcomes (Seq, Matched, Listeners)
        SELECT Seq, $2, $3 FROM WebhooksEvents WHERE Seq = $1 AND Matched IS NULL
        ON CONFLICT DO NOTHING;
        """;

    private const string Outcome = """
        SELECT COALESCE(o.Matched, e.Matched) FROM WebhooksEvents e LEFT JOIN WebhooksEventOutcomes o ON o.Seq = e.Seq
        WHERE e.Seq = $1;
        """;

    private const string Content = "SELECT Seq, ResourceId, EventDate, Payload FROM WebhooksEvents WHERE Seq IN (SELECT value FROM json_each($1));";

    private const string Scan = """
        SELECT Seq, EventCode, ResourceId FROM WebhooksEvents
        WHERE ServiceId = $1 AND TenantId = $2 AND Seq > $3
        ORDER BY Seq LIMIT $4;
        """;

    private const string Read = "SELECT Seq, EventId, EventDate, EventCode, ResourceId, Payload FROM WebhooksEvents WHERE Seq IN (SELECT value FROM json_each($1)) ORDER BY Seq;";

    private const string Find = """
        SELECT e.Seq, e.EventId, e.EventDate, e.EventCode, e.ResourceId, e.Payload, e.AcceptedAt,
               COALESCE(o.Matched, e.Matched), COALESCE(o.Listeners, e.Listeners)
        FROM WebhooksEvents e LEFT JOIN WebhooksEventOutcomes o ON o.Seq = e.Seq
        WHERE e.ServiceId = $1 AND e.TenantId = $2 AND e.EventId = $3;
        """;

    private readonly string _serviceId = cluster.Value.ServiceId;

    public Task<AcceptedEvent> AcceptAsync(EventEnvelope envelope, DateTimeOffset acceptedAt) =>
        writer.ExecuteAsync(s =>
        {
            var key = (_serviceId, envelope.TenantId, envelope.EventId);
            if (s.Scalar(Insert, key._serviceId, key.TenantId, key.EventId, envelope.EventCode, envelope.ResourceId,
                    Text(envelope.EventDate), Text(acceptedAt), envelope.Payload) is long seq)
            {
                return new AcceptedEvent(envelope with { Seq = seq }, null);
            }

            var stored = s.Query(FindStored, row => row.Read()
                ? new AcceptedEvent(
                    new EventEnvelope(envelope.TenantId, envelope.EventId, row.GetString(2), NullableString(row, 3), Date(row.GetString(4)), NullableString(row, 5), row.GetInt64(0)),
                    row.IsDBNull(1) ? null : row.GetInt32(1))
                : null, key._serviceId, key.TenantId, key.EventId);
            return stored ?? new AcceptedEvent(envelope, Convert.ToInt32(s.Scalar(FindLegacy, key._serviceId, key.TenantId, key.EventId), CultureInfo.InvariantCulture));
        });

    public Task<int> CompleteAsync(long seq, IReadOnlyList<string> listenerIds) =>
        writer.ExecuteAsync(s =>
        {
            s.Execute(Complete, seq, listenerIds.Count, string.Join(',', listenerIds));
            return s.Scalar(Outcome, seq) is { } matched
                ? Convert.ToInt32(matched, CultureInfo.InvariantCulture)
                : listenerIds.Count; // the event removed by a retention of seconds while its publish ran (see PostgreSqlAcceptedEvents)
        });

    public Task<IReadOnlyDictionary<long, EventContent>> GetContentAsync(IReadOnlyCollection<long> seqs)
    {
        var contents = new Dictionary<long, EventContent>();
        if (seqs.Count > 0)
        {
            writer.Read(Content, row =>
            {
                while (row.Read())
                {
                    contents[row.GetInt64(0)] = new EventContent(NullableString(row, 1), Date(row.GetString(2)), NullableString(row, 3));
                }

                return contents;
            }, JsonArray(seqs));
        }

        return Task.FromResult<IReadOnlyDictionary<long, EventContent>>(contents);
    }

    public Task<EventFeedPage> ReadAsync(string tenantId, EventFeedQuery query)
    {
        var scanned = writer.Read(Scan, static row =>
        {
            var rows = new List<ScannedEvent>();
            while (row.Read())
            {
                rows.Add(new ScannedEvent(new FeedPosition(0, row.GetInt64(0)), row.GetString(1), NullableString(row, 2)));
            }

            return rows;
        }, _serviceId, tenantId, query.After?.Seq ?? 0, FeedPage.Window(query));

        return FeedPage.BuildAsync(query, scanned, seqs => Task.FromResult(writer.Read(Read, static row =>
        {
            var events = new List<StoredEvent>();
            var bytes = 0L;
            while (bytes <= FeedPage.MaxBytes && row.Read())
            {
                var stored = StoredEvent(row, 0);
                bytes += stored.Payload?.Length ?? 0;
                events.Add(stored);
            }

            return events;
        }, JsonArray(seqs))));
    }

    public Task<AcceptedEventRecord?> FindAsync(string tenantId, string eventId) =>
        Task.FromResult(writer.Read(Find, static row => row.Read()
            ? new AcceptedEventRecord(
                StoredEvent(row, 0),
                Date(row.GetString(6)),
                row.IsDBNull(7) ? null : row.GetInt32(7),
                row.IsDBNull(8) ? [] : row.GetString(8).Split(',', StringSplitOptions.RemoveEmptyEntries))
            : null, _serviceId, tenantId, eventId));

    /// <summary>Seq, EventId, EventDate, EventCode, ResourceId, Payload from column <paramref name="first"/> on.</summary>
    private static StoredEvent StoredEvent(SqliteDataReader row, int first) => new(
        row.GetString(first + 1),
        Date(row.GetString(first + 2)),
        row.GetString(first + 3),
        NullableString(row, first + 4),
        NullableString(row, first + 5),
        new FeedPosition(0, row.GetInt64(first)));

    private static string? NullableString(SqliteDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);

    private static string Text(DateTimeOffset value) => SqliteText.From(value);

    private static DateTimeOffset Date(string text) => SqliteText.ToDate(text);

    private static string JsonArray(IEnumerable<long> seqs) => new StringBuilder("[").AppendJoin(',', seqs).Append(']').ToString();
}
