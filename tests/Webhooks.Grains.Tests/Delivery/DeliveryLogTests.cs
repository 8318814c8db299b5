using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Webhooks.Delivery.Log;
using Webhooks.PostgreSql;
using Webhooks.Storage;
using Webhooks.Testing;

namespace Webhooks.Delivery;

/// <summary>The same contract on both stores: rows are replaced by Seq, removed singly or all at once, and kept per listener.</summary>
public sealed class DeliveryLogTests : IAsyncLifetime
{
    private readonly TestDeployment _sqlite = new();
    private readonly List<IDisposable> _owned = [];
    private readonly List<IAsyncDisposable> _ownedAsync = [];
    private string _postgres = "";

    public async Task InitializeAsync()
    {
        _postgres = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        await PostgreSqlSchemaInstaller.InstallAsync(_postgres, new RecordingLogger(), CancellationToken.None);
        await SqliteSchemaInstaller.InstallAsync(_sqlite.ConnectionString, NullLogger.Instance, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        _owned.ForEach(o => o.Dispose());
        foreach (var owned in _ownedAsync)
        {
            await owned.DisposeAsync();
        }

        _sqlite.Dispose();
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.PostgreSql)]
    public async Task Rows_AreReplacedBySeq_RemovedSinglyOrAll_AndKeptApartPerListener(StorageProvider provider)
    {
        var log = Create(provider);

        await log.SaveAsync("wh_a", new DeliveryLogChanges([Row(1, DeliveryStatus.Pending, "one"), Row(2, DeliveryStatus.Pending, "two"), Row(3, DeliveryStatus.Pending, "three")], []));
        await log.SaveAsync("wh_b", new DeliveryLogChanges([Row(1, DeliveryStatus.Pending, "other listener")], []));
        await log.SaveAsync("wh_a", new DeliveryLogChanges([Row(2, DeliveryStatus.Succeeded, "two, delivered")], [1]));

        var rows = await log.LoadAsync("wh_a");
        Assert.Equal([(2L, DeliveryStatus.Succeeded, "two, delivered"), (3L, DeliveryStatus.Pending, "three")], rows.Select(Describe));

        await log.SaveAsync("wh_a", new DeliveryLogChanges([Row(4, DeliveryStatus.Pending, "after the delete")], [], RemoveAll: true));
        Assert.Equal([(4L, DeliveryStatus.Pending, "after the delete")], (await log.LoadAsync("wh_a")).Select(Describe));
        Assert.Equal([(1L, DeliveryStatus.Pending, "other listener")], (await log.LoadAsync("wh_b")).Select(Describe));
        Assert.Empty(await log.LoadAsync("wh_never"));
    }

    private IDeliveryLog Create(StorageProvider provider)
    {
        var cluster = Options.Create(new ClusterOptions { ServiceId = "delivery-log-tests" });
        if (provider == StorageProvider.Sqlite)
        {
            var writer = new SqliteWriter(Options.Create(new StorageOptions { ConnectionString = _sqlite.ConnectionString }), NullLogger<SqliteWriter>.Instance);
            _owned.Add(writer);
            return new SqliteDeliveryLog(writer, cluster);
        }

        var database = new PostgreSqlDatabase(Options.Create(new StorageOptions { Provider = StorageProvider.PostgreSql, ConnectionString = _postgres }));
        _ownedAsync.Add(database);
        return new PostgreSqlDeliveryLog(database, cluster);
    }

    private static DeliveryRow Row(long seq, DeliveryStatus status, string text) => new(seq, status, System.Text.Encoding.UTF8.GetBytes(text));

    private static (long, DeliveryStatus, string) Describe(DeliveryRow row) => (row.Seq, row.Status, System.Text.Encoding.UTF8.GetString(row.Record));
}
