using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Webhooks.PostgreSql;
using Webhooks.Publishing;
using Webhooks.Storage;
using Webhooks.Testing;

namespace Webhooks.Delivery;

/// <summary>The de-duplication record on both stores: absent until recorded, and the first record wins.</summary>
public sealed class AcceptedEventsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    private readonly TestDeployment _sqlite = new();
    private SqliteWriter? _writer;
    private PostgreSqlDatabase? _database;
    private PostgreSqlAcceptedEvents? _postgres;

    public async Task InitializeAsync()
    {
        var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        await PostgreSqlSchemaInstaller.InstallAsync(database, new RecordingLogger(), CancellationToken.None);
        await SqliteSchemaInstaller.InstallAsync(_sqlite.ConnectionString, NullLogger.Instance, CancellationToken.None);
        var cluster = Options.Create(new ClusterOptions { ServiceId = "accepted-events-tests" });
        _writer = new SqliteWriter(Options.Create(new StorageOptions { ConnectionString = _sqlite.ConnectionString }), NullLogger<SqliteWriter>.Instance);
        _database = new PostgreSqlDatabase(Options.Create(new StorageOptions { Provider = StorageProvider.PostgreSql, ConnectionString = database }));
        _postgres = new PostgreSqlAcceptedEvents(_database, cluster);
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
    public async Task AnEvent_IsUnknownUntilRecorded_AndTheFirstRecordWins(StorageProvider provider)
    {
        IAcceptedEvents events = provider == StorageProvider.Sqlite
            ? new SqliteAcceptedEvents(_writer!, Options.Create(new ClusterOptions { ServiceId = "accepted-events-tests" }))
            : _postgres!;

        Assert.Null(await events.FindAsync("t_a", "event_1"));
        Assert.Equal(3, await events.RecordAsync("t_a", "event_1", 3, Now));
        Assert.Equal(3, await events.RecordAsync("t_a", "event_1", 0, Now.AddSeconds(1)));
        Assert.Equal(3, await events.FindAsync("t_a", "event_1"));

        // Event ids are per tenant.
        Assert.Null(await events.FindAsync("t_b", "event_1"));
        Assert.Equal(0, await events.RecordAsync("t_b", "event_1", 0, Now));
    }
}
