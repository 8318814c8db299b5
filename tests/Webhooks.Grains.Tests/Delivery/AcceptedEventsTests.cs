using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Delivery.Log;
using Webhooks.Grains.Publishing;
using Webhooks.Grains.Storage;
using Webhooks.Grains.Storage.PostgreSql;
using Webhooks.Grains.Storage.Sqlite;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Grains.Tests.PostgreSql;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.Delivery;

/// <summary>
/// The events store on both stores: an event is stored once, with no outcome until its publish completes, and the
/// first outcome wins; ids accepted before the upgrade still de-duplicate; deliveries read their event's content.
/// </summary>
public sealed class AcceptedEventsTests : IAsyncLifetime
{
    private const string ServiceId = "accepted-events-tests";
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    private readonly TestDeployment _sqlite = new();
    private string _postgresConnection = "";
    private SqliteWriter? _writer;
    private PostgreSqlDatabase? _database;

    public async Task InitializeAsync()
    {
        _postgresConnection = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        await PostgreSqlSchemaInstaller.InstallAsync(_postgresConnection, new RecordingLogger(), CancellationToken.None);
        await SqliteSchemaInstaller.InstallAsync(_sqlite.ConnectionString, NullLogger.Instance, CancellationToken.None);
        _writer = new SqliteWriter(Options.Create(new StorageOptions { ConnectionString = _sqlite.ConnectionString }), NullLogger<SqliteWriter>.Instance);
        _database = new PostgreSqlDatabase(Options.Create(new StorageOptions { Provider = StorageProvider.PostgreSql, ConnectionString = _postgresConnection }));
    }

    public async Task DisposeAsync()
    {
        _writer?.Dispose();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        _sqlite.Dispose();
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.PostgreSql)]
    public async Task AnEvent_IsStoredOnce_WithNoOutcomeUntilCompleted_AndTheFirstOutcomeWins(StorageProvider provider)
    {
        var events = Create(provider);

        var first = await events.AcceptAsync(Envelope("t_a", "event_1", """{"seats":1}"""), Now);
        Assert.Null(first.Matched);
        var seq = Assert.NotNull(first.Event.Seq);

        // A repeat before the outcome is recorded (the first publish failed midway) gets the stored event, not its own.
        var repeated = await events.AcceptAsync(Envelope("t_a", "event_1", """{"seats":2}"""), Now.AddSeconds(1));
        Assert.Null(repeated.Matched);
        Assert.Equal(seq, repeated.Event.Seq);
        Assert.Equal("""{"seats":1}""", repeated.Event.Payload);
        Assert.Equal(Now, repeated.Event.EventDate);

        Assert.Equal(3, await events.CompleteAsync(seq, ["wh_1", "wh_2", "wh_3"]));
        Assert.Equal(3, await events.CompleteAsync(seq, []));
        Assert.Equal(3, (await events.AcceptAsync(Envelope("t_a", "event_1", null), Now.AddSeconds(2))).Matched);

        var record = Assert.IsType<AcceptedEventRecord>(await events.FindAsync("t_a", "event_1"));
        Assert.Equal(["wh_1", "wh_2", "wh_3"], record.ListenerIds);
        Assert.Equal(3, record.Matched);
        Assert.Equal(("entitlement.created", "ent_1", """{"seats":1}"""), (record.Event.EventCode, record.Event.ResourceId, record.Event.Payload));

        // Event ids are per tenant.
        Assert.Null(await events.FindAsync("t_b", "event_1"));
        var other = await events.AcceptAsync(Envelope("t_b", "event_1", null), Now);
        Assert.Null(other.Matched);
        Assert.NotEqual(seq, other.Event.Seq);
        Assert.Equal(0, await events.CompleteAsync(other.Event.Seq!.Value, []));
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.PostgreSql)]
    public async Task AnIdAcceptedBeforeEventsWereStoredOnce_StillDeduplicates(StorageProvider provider)
    {
        var events = Create(provider);
        await ExecuteAsync(provider, $"INSERT INTO WebhooksAcceptedEvents (ServiceId, TenantId, EventId, Matched, AcceptedAt) VALUES ('{ServiceId}', 't_old', 'event_old', 4, '2026-01-01T00:00:00Z');");

        var accepted = await events.AcceptAsync(Envelope("t_old", "event_old", null), Now);

        Assert.Equal(4, accepted.Matched);
        Assert.Null(accepted.Event.Seq);
        Assert.Null(await events.FindAsync("t_old", "event_old")); // nothing was stored for it
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.PostgreSql)]
    public async Task Deliveries_ReadTheirEventsContent_OnlyWhileTheyMayStillBeAttempted(StorageProvider provider)
    {
        var events = Create(provider);
        var log = CreateLog(provider);
        var pending = (await events.AcceptAsync(Envelope("t_a", "event_pending", """{"n":1}"""), Now)).Event.Seq!.Value;
        var done = (await events.AcceptAsync(Envelope("t_a", "event_done", """{"n":2}"""), Now)).Event.Seq!.Value;

        await log.SaveAsync("wh_content", new DeliveryLogChanges(
        [
            new DeliveryRow(1, DeliveryStatus.Pending, "{}"u8.ToArray(), pending),
            new DeliveryRow(2, DeliveryStatus.Succeeded, "{}"u8.ToArray(), done),
            new DeliveryRow(3, DeliveryStatus.Pending, "{}"u8.ToArray()), // carries its event itself
        ], []));

        var rows = await log.LoadAsync("wh_content");
        Assert.Equal(new EventContent("ent_1", Now, """{"n":1}"""), rows[0].Content);
        Assert.Equal((done, (EventContent?)null), (rows[1].EventSeq!.Value, rows[1].Content));
        Assert.Equal(((long?)null, (EventContent?)null), (rows[2].EventSeq, rows[2].Content));

        // A finished delivery redelivered reads its event back; an event no longer stored is left out.
        var contents = await events.GetContentAsync([done, 999_999]);
        Assert.Equal(new EventContent("ent_1", Now, """{"n":2}"""), Assert.Single(contents, c => c.Key == done).Value);
        Assert.DoesNotContain(999_999, contents.Keys);
    }

    private IAcceptedEvents Create(StorageProvider provider)
    {
        var cluster = Options.Create(new ClusterOptions { ServiceId = ServiceId });
        return provider == StorageProvider.Sqlite ? new SqliteAcceptedEvents(_writer!, cluster) : new PostgreSqlAcceptedEvents(_database!, cluster);
    }

    private IDeliveryLog CreateLog(StorageProvider provider)
    {
        var cluster = Options.Create(new ClusterOptions { ServiceId = ServiceId });
        return provider == StorageProvider.Sqlite
            ? new SqliteDeliveryLog(_writer!, new SqliteDeliveryJournal(cluster), cluster)
            : new PostgreSqlDeliveryLog(_database!, cluster);
    }

    private async Task ExecuteAsync(StorageProvider provider, string sql)
    {
        if (provider == StorageProvider.PostgreSql)
        {
            await PostgreSqlSchema.ExecuteAsync(_postgresConnection, sql);
            return;
        }

        using var connection = _sqlite.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static EventEnvelope Envelope(string tenantId, string eventId, string? payload) =>
        new(tenantId, eventId, "entitlement.created", "ent_1", Now, payload);
}
