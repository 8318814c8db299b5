using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Publishing;
using Webhooks.Grains.Publishing;

namespace Webhooks.Grains.Storage.PostgreSql;

/// <summary>
/// Accepted events in PostgreSQL (table <c>webhooksevents</c>, schema 008; ids accepted before it in
/// <c>webhooksacceptedevents</c>).
/// </summary>
/// <remarks>
/// The feed's order is (xid, seq), and it serves only rows whose inserting transaction is older than every transaction
/// still running: a transaction that took a smaller seq may commit after a larger one is visible, so seq alone could
/// be skipped past; a transaction below the snapshot's xmin has ended, so nothing can appear below that point later.
/// See <c>deploy/sql/postgresql/008-events.sql</c>.
/// </remarks>
internal sealed class PostgreSqlAcceptedEvents(PostgreSqlDatabase database, IOptions<ClusterOptions> cluster) : IAcceptedEvents
{
    private const string Content = "SELECT seq, resourceid, eventdate, payload FROM webhooksevents WHERE seq = ANY($1);";

    private const string Scan = """
        SELECT xid::text::bigint, seq, eventcode, resourceid FROM webhooksevents
        WHERE serviceid = $1 AND tenantid = $2 AND (xid, seq) > ($3::text::xid8, $4)
          AND xid < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY xid, seq LIMIT $5;
        """;

    private const string Read = """
        SELECT seq, eventid, eventdate, eventcode, resourceid, payload, xid::text::bigint FROM webhooksevents
        WHERE seq = ANY($1) ORDER BY xid, seq;
        """;

    private const string Find = """
        SELECT seq, eventid, eventdate, eventcode, resourceid, payload, xid::text::bigint, acceptedat, matched, listeners FROM webhooksevents
        WHERE serviceid = $1 AND tenantid = $2 AND eventid = $3;
        """;

    private readonly NpgsqlDataSource _database = database.DataSource;
    private readonly PostgreSqlWriter _writer = database.EventWriter;
    private readonly string _serviceId = cluster.Value.ServiceId;

    public async Task<AcceptedEvent> AcceptAsync(EventEnvelope envelope, DateTimeOffset acceptedAt)
    {
        // Only a publish of the same new id racing this one leaves no row visible here, once or twice at most.
        for (var attempt = 1; ; attempt++)
        {
            if (await _writer.WriteAsync(new EventAcceptWrite(_serviceId, envelope, acceptedAt)) is { } accepted)
            {
                return accepted;
            }

            if (attempt == 3)
            {
                throw new InvalidOperationException($"Event {envelope.EventId} was neither stored nor found.");
            }
        }
    }

    public Task<int> CompleteAsync(long seq, IReadOnlyList<string> listenerIds) =>
        _writer.WriteAsync(new EventOutcomeWrite(seq, listenerIds));

    public async Task<IReadOnlyDictionary<long, EventContent>> GetContentAsync(IReadOnlyCollection<long> seqs)
    {
        var contents = new Dictionary<long, EventContent>();
        if (seqs.Count == 0)
        {
            return contents;
        }

        await using var command = _database.CreateCommand(Content);
        Add(command, seqs.ToArray());
        await using var row = await command.ExecuteReaderAsync();
        while (await row.ReadAsync())
        {
            contents[row.GetInt64(0)] = new EventContent(NullableString(row, 1), row.GetFieldValue<DateTimeOffset>(2), NullableString(row, 3));
        }

        return contents;
    }

    public async Task<EventFeedPage> ReadAsync(string tenantId, EventFeedQuery query)
    {
        var scanned = new List<ScannedEvent>();
        await using (var command = _database.CreateCommand(Scan))
        {
            var after = query.After ?? new FeedPosition(0, 0);
            Add(command, _serviceId, tenantId, after.Commit.ToString(System.Globalization.CultureInfo.InvariantCulture), after.Seq, FeedPage.Window(query));
            await using var row = await command.ExecuteReaderAsync();
            while (await row.ReadAsync())
            {
                scanned.Add(new ScannedEvent(new FeedPosition(row.GetInt64(0), row.GetInt64(1)), row.GetString(2), NullableString(row, 3)));
            }
        }

        return await FeedPage.BuildAsync(query, scanned, async seqs =>
        {
            await using var command = _database.CreateCommand(Read);
            Add(command, seqs.ToArray());
            await using var row = await command.ExecuteReaderAsync();
            var events = new List<StoredEvent>();
            var bytes = 0L;
            while (bytes <= FeedPage.MaxBytes && await row.ReadAsync())
            {
                var stored = StoredEvent(row);
                bytes += stored.Payload?.Length ?? 0;
                events.Add(stored);
            }

            return events;
        });
    }

    public async Task<AcceptedEventRecord?> FindAsync(string tenantId, string eventId)
    {
        await using var command = _database.CreateCommand(Find);
        Add(command, _serviceId, tenantId, eventId);
        await using var row = await command.ExecuteReaderAsync();
        if (!await row.ReadAsync())
        {
            return null;
        }

        return new AcceptedEventRecord(
            StoredEvent(row),
            row.GetFieldValue<DateTimeOffset>(7),
            row.IsDBNull(8) ? null : row.GetInt32(8),
            row.IsDBNull(9) ? [] : row.GetString(9).Split(',', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>seq, eventid, eventdate, eventcode, resourceid, payload, xid.</summary>
    private static StoredEvent StoredEvent(NpgsqlDataReader row) => new(
        row.GetString(1),
        row.GetFieldValue<DateTimeOffset>(2),
        row.GetString(3),
        NullableString(row, 4),
        NullableString(row, 5),
        new FeedPosition(row.GetInt64(6), row.GetInt64(0)));

    private static string? NullableString(NpgsqlDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);

    private static void Add(NpgsqlCommand command, params object[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
    }
}
