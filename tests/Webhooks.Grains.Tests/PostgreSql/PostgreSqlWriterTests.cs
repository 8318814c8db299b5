using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Delivery.Log;
using Webhooks.Grains.Storage;
using Webhooks.Grains.Storage.PostgreSql;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.PostgreSql;

/// <summary>
/// The silo's PostgreSQL writes share transactions: events accepted and publishes' outcomes queued together are committed
/// together, and so are listeners' delivery-log saves; each is answered as if stored alone; one refused write fails alone.
/// </summary>
public sealed class PostgreSqlWriterTests : IAsyncLifetime
{
    private const string ServiceId = "writer-tests";
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly IOptions<ClusterOptions> Cluster = Options.Create(new ClusterOptions { ServiceId = ServiceId });

    private PostgreSqlDatabase? _database;

    public async Task InitializeAsync()
    {
        var connection = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        await PostgreSqlSchemaInstaller.InstallAsync(connection, new RecordingLogger(), CancellationToken.None);
        _database = new PostgreSqlDatabase(Options.Create(new StorageOptions { Provider = StorageProvider.PostgreSql, ConnectionString = connection }));
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task EventsOutcomesAndSaves_QueuedTogether_ShareTransactions_AndEachIsAnsweredAsIfAlone()
    {
        var events = new PostgreSqlAcceptedEvents(_database!, Cluster);
        var log = new PostgreSqlDeliveryLog(_database!, Cluster);
        var earlier = await events.AcceptAsync(Envelope("event_earlier"), Now);
        var before = _database!.EventWriter.Commits + _database.DeliveryWriter.Commits;

        // Two publishes of one new id, a hundred other events, an outcome and fifty listeners' saves, all at once.
        var accepts = Enumerable.Range(0, 100).Select(i => events.AcceptAsync(Envelope($"event_{i}"), Now))
            .Append(events.AcceptAsync(Envelope("event_twice"), Now))
            .Append(events.AcceptAsync(Envelope("event_twice"), Now))
            .ToList();
        var outcome = events.CompleteAsync(earlier.Event.Seq!.Value, ["wh_a", "wh_b"]);
        var saves = Enumerable.Range(0, 50).Select(i => log.SaveAsync($"wh_{i}", new DeliveryLogChanges([new DeliveryRow(1, DeliveryStatus.Pending, [1, 2, 3], earlier.Event.Seq)], []))).ToList();
        var accepted = await Task.WhenAll(accepts);
        await Task.WhenAll(saves);

        Assert.Equal(2, await outcome);
        Assert.InRange(_database.EventWriter.Commits + _database.DeliveryWriter.Commits - before, 2, 20); // 153 writes; alone, they would have taken 153 transactions
        Assert.Equal(101, accepted.Select(a => a.Event.Seq).Distinct().Count());
        Assert.All(accepted, a => Assert.Null(a.Matched));
        Assert.Equal(accepted[^2].Event.Seq, accepted[^1].Event.Seq);
        Assert.Equal(101L, await ScalarAsync("SELECT count(*) FROM webhooksevents WHERE eventid <> 'event_earlier';"));
        Assert.Equal(("2", "wh_a,wh_b"), await RowAsync($"SELECT matched::text, listeners FROM webhooksevents WHERE seq = {earlier.Event.Seq};"));
        Assert.Equal(50L, await ScalarAsync("SELECT count(*) FROM webhooksdeliveries;"));
    }

    [Fact]
    public async Task TwoOutcomesOfOneEvent_InOneTransaction_BothAnswerTheCountThatStays()
    {
        var events = new PostgreSqlAcceptedEvents(_database!, Cluster);
        var seq = (await events.AcceptAsync(Envelope("event_raced"), Now)).Event.Seq!.Value;

        var outcomes = await Task.WhenAll(
            events.CompleteAsync(seq, ["wh_a"]),
            events.CompleteAsync(seq, ["wh_a", "wh_b", "wh_c"]),
            events.CompleteAsync(seq, ["wh_a", "wh_b"]));
        var later = await events.CompleteAsync(seq, []);

        Assert.Single(outcomes.Distinct());
        Assert.Equal(outcomes[0], later);
        var (matched, listeners) = await RowAsync($"SELECT matched::text, listeners FROM webhooksevents WHERE seq = {seq};");
        Assert.Equal(outcomes[0].ToString(System.Globalization.CultureInfo.InvariantCulture), matched);
        Assert.Equal(outcomes[0], listeners.Split(',').Length);
    }

    [Fact]
    public async Task ARefusedEvent_FailsAlone_AndTheWritesSharingItsTransactionLand()
    {
        var events = new PostgreSqlAcceptedEvents(_database!, Cluster);
        var log = new PostgreSqlDeliveryLog(_database!, Cluster);
        var seq = (await events.AcceptAsync(Envelope("event_done"), Now)).Event.Seq!.Value;

        // PostgreSQL text cannot hold a NUL character: this event's statement fails, in whichever transaction it lands.
        var good = Enumerable.Range(0, 30).Select(i => events.AcceptAsync(Envelope($"event_good_{i}"), Now)).ToList();
        var bad = events.AcceptAsync(Envelope("event_bad", payload: "{\"x\":\"\0\"}"), Now);
        var outcome = events.CompleteAsync(seq, ["wh_a"]);
        var save = log.SaveAsync("wh_a", new DeliveryLogChanges([new DeliveryRow(1, DeliveryStatus.Succeeded, [9], seq)], []));

        var failure = await Assert.ThrowsAnyAsync<PostgresException>(() => bad);
        await Task.WhenAll(good);
        Assert.Equal(1, await outcome);
        await save;
        Assert.Equal("22021", failure.SqlState);
        Assert.Equal(30L, await ScalarAsync("SELECT count(*) FROM webhooksevents WHERE eventid LIKE 'event_good_%';"));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM webhooksevents WHERE eventid = 'event_bad';"));
        Assert.Equal(DeliveryStatus.Succeeded, Assert.Single(await log.LoadAsync("wh_a")).Status);
    }

    /// <summary>
    /// The writer's connection prepares the outcome statement (Npgsql prepares what it runs often), and after a few runs
    /// PostgreSQL keeps one generic plan for it, made from what it then knew of the table: in a fresh database, nearly
    /// nothing. That plan must still find the events by their key once the table has grown. The plan made for a join of
    /// the whole table read every page of it on each outcome write (1,224 pages here), until the server's connections
    /// were opened with sequential scans off.
    /// </summary>
    [Fact]
    public async Task AnOutcomeWrite_FindsItsEventsByKey_HoweverMuchTheTableGrewAfterItsPlanWasMade()
    {
        var events = new PostgreSqlAcceptedEvents(_database!, Cluster);
        var accepted = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => events.AcceptAsync(Envelope($"event_early_{i}"), Now)));
        var arguments = $"ARRAY[{string.Join(',', accepted.Select(a => a.Event.Seq))}]::bigint[], "
            + $"ARRAY[{string.Join(',', accepted.Select(_ => 1))}]::integer[], ARRAY[{string.Join(',', accepted.Select(_ => "'wh_a'"))}]::text[]";
        await using var connection = await _database!.DataSource.OpenConnectionAsync();
        await ExecuteAsync(connection, "SET plan_cache_mode = force_generic_plan;"); // as chosen after five runs, at once
        await ExecuteAsync(connection, $"PREPARE outcome(bigint[], integer[], text[]) AS {EventOutcomeWrite.Update.TrimEnd().TrimEnd(';')};");
        await ExecuteAsync(connection, $"EXPLAIN EXECUTE outcome({arguments});"); // planned now, on a table of 8 events

        await ExecuteAsync(connection, """
            INSERT INTO webhooksevents (serviceid, tenantid, eventid, eventcode, eventdate, acceptedat, payload)
            SELECT 'writer-tests', 't_writer', 'event_later_' || i, 'entitlement.created', now(), now(), repeat('x', 300)
            FROM generate_series(1, 20000) AS i;
            """);
        await using var explain = new NpgsqlCommand($"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE outcome({arguments});", connection);
        var plan = System.Text.Json.JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!).RootElement[0].GetProperty("Plan");
        var pages = plan.GetProperty("Shared Hit Blocks").GetInt64() + plan.GetProperty("Shared Read Blocks").GetInt64();

        // 8 rows by key, each updated with its four index entries: about 130 pages. The table alone is over 1,000.
        Assert.True(pages < 400, $"{pages} pages read to record 8 outcomes: {plan}");
        Assert.Equal(8L, await ScalarAsync("SELECT count(*) FROM webhooksevents WHERE matched = 1;"));
    }

    private static EventEnvelope Envelope(string eventId, string? payload = """{"seats":1}""") =>
        new("t_writer", eventId, "entitlement.created", "ent_1", Now, payload);

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var command = _database!.DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<(string, string)> RowAsync(string sql)
    {
        await using var command = _database!.DataSource.CreateCommand(sql);
        await using var row = await command.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        return (row.GetString(0), row.GetString(1));
    }
}
