using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Delivery.Log;
using Webhooks.Grains.Storage;
using Webhooks.Grains.Storage.PostgreSql;
using Webhooks.Grains.Storage.Sqlite;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Grains.Tests.PostgreSql;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.Delivery;

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

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.PostgreSql)]
    public async Task Removals_WithGaps_RemoveExactlyTheRowsNamed(StorageProvider provider)
    {
        var log = Create(provider);
        await log.SaveAsync("wh_gaps", new DeliveryLogChanges([.. Enumerable.Range(1, 10).Select(i => Row(i, DeliveryStatus.Succeeded, $"row {i}"))], []));

        // Removed as runs (2-4, 7, 9): nothing between the runs may go with them.
        await log.SaveAsync("wh_gaps", new DeliveryLogChanges([], [9, 2, 3, 4, 7]));

        Assert.Equal([1L, 5L, 6L, 8L, 10L], (await log.LoadAsync("wh_gaps")).Select(r => r.Seq));
    }

    [Fact]
    public async Task Sqlite_ChangesStillInTheJournal_WhenTheProcessEnds_AreLoadedByTheNextOne()
    {
        var before = Create(StorageProvider.Sqlite, out var writer);
        Assert.NotNull(writer);
        await before.SaveAsync("wh_a", new DeliveryLogChanges([Row(1, DeliveryStatus.Pending, "one"), Row(2, DeliveryStatus.Pending, "two"), Row(3, DeliveryStatus.Pending, "three")], []));
        await before.SaveAsync("wh_b", new DeliveryLogChanges([Row(1, DeliveryStatus.Pending, "other listener")], []));
        await before.SaveAsync("wh_a", new DeliveryLogChanges([Row(2, DeliveryStatus.Succeeded, "two, delivered")], [1]));

        // Committed, but only to the journal: the table has nothing yet, as after a crash.
        Assert.Equal((0L, 6L), CountRows());
        writer.Dispose();

        var after = Create(StorageProvider.Sqlite);
        Assert.Equal([(2L, DeliveryStatus.Succeeded, "two, delivered"), (3L, DeliveryStatus.Pending, "three")], (await after.LoadAsync("wh_a")).Select(Describe));
        Assert.Equal((3L, 0L), CountRows()); // folded by the load: the table holds the log, the journal nothing
        Assert.Equal([(1L, DeliveryStatus.Pending, "other listener")], (await after.LoadAsync("wh_b")).Select(Describe));
    }

    [Fact]
    public async Task Sqlite_TheJournal_IsFoldedOnceItHoldsEnough_AndChangesAfterAFoldStillApply()
    {
        var log = Create(StorageProvider.Sqlite);
        var saved = (SqliteDeliveryJournal.FoldAt / 100 + 2) * 100; // a fold, and then some
        for (var first = 1; first < saved; first += 100)
        {
            await log.SaveAsync("wh_many", new DeliveryLogChanges([.. Enumerable.Range(first, 100).Select(i => Row(i, DeliveryStatus.Pending, $"row {i}"))], []));
        }

        var (table, journal) = CountRows();
        Assert.True(table >= SqliteDeliveryJournal.FoldAt, $"No fold: {table} rows in the table.");
        Assert.True(journal < SqliteDeliveryJournal.FoldAt, $"{journal} changes still in the journal.");

        // Changes after the fold replace and remove rows the fold wrote.
        await log.SaveAsync("wh_many", new DeliveryLogChanges([Row(5, DeliveryStatus.Succeeded, "row 5, delivered")], [.. Enumerable.Range(1, 4).Select(i => (long)i)]));
        var rows = await log.LoadAsync("wh_many");
        Assert.Equal(saved - 4, rows.Count);
        Assert.Equal((5L, DeliveryStatus.Succeeded, "row 5, delivered"), Describe(rows[0]));
        Assert.Equal(Enumerable.Range(5, rows.Count).Select(i => (long)i), rows.Select(r => r.Seq));
    }

    [Fact]
    public async Task PostgreSql_ConcurrentSavesOfManyListeners_ShareTransactions_AndAllLand()
    {
        var log = (PostgreSqlDeliveryLog)Create(StorageProvider.PostgreSql);
        var listeners = Enumerable.Range(0, 200).Select(i => $"wh_shared_{i}").ToList();

        await Task.WhenAll(listeners.Select(id => log.SaveAsync(id, new DeliveryLogChanges([Row(1, DeliveryStatus.Pending, id)], []))));

        // The first save starts a transaction at once; the others queue behind it and share the next one or two.
        Assert.InRange(log.Commits, 1, listeners.Count / 2);
        foreach (var id in listeners)
        {
            Assert.Equal([(1L, DeliveryStatus.Pending, id)], (await log.LoadAsync(id)).Select(Describe));
        }
    }

    [Fact]
    public async Task PostgreSql_ASaveThatFails_FailsAlone_AndTheSavesSharingItsTransactionLand()
    {
        var log = (PostgreSqlDeliveryLog)Create(StorageProvider.PostgreSql);
        var good = Enumerable.Range(0, 50).Select(i => $"wh_good_{i}").ToList();

        // PostgreSQL text cannot hold a NUL character: this save's statement fails, in whichever transaction it lands.
        var saves = good.Take(25).Select(id => log.SaveAsync(id, new DeliveryLogChanges([Row(1, DeliveryStatus.Pending, id)], [])))
            .Append(log.SaveAsync("wh_bad\0", new DeliveryLogChanges([Row(1, DeliveryStatus.Pending, "bad")], [])))
            .Concat(good.Skip(25).Select(id => log.SaveAsync(id, new DeliveryLogChanges([Row(1, DeliveryStatus.Pending, id)], []))))
            .ToList();

        var failed = saves[25];
        await Assert.ThrowsAnyAsync<Exception>(() => failed);
        await Task.WhenAll(saves.Where(t => t != failed));
        foreach (var id in good)
        {
            Assert.Equal([(1L, DeliveryStatus.Pending, id)], (await log.LoadAsync(id)).Select(Describe));
        }
    }

    [Fact]
    public async Task PostgreSql_WhenTheServerCannotBeReached_TheWaitingSavesFailTogether_NotOneByOne()
    {
        // Accepts connections and never answers: each connection attempt ends in the client's 1 s timeout.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        using var stop = new CancellationTokenSource();
        var accepted = new ConcurrentQueue<TcpClient>();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    accepted.Enqueue(await silent.AcceptTcpClientAsync(stop.Token));
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var storage = new StorageOptions { Provider = StorageProvider.PostgreSql, ConnectionString = $"Host=127.0.0.1;Port={port};Database=none;Username=none;Timeout=1;Pooling=false" };
        await using var database = new PostgreSqlDatabase(Options.Create(storage));
        var log = new PostgreSqlDeliveryLog(database, Options.Create(new ClusterOptions { ServiceId = "delivery-log-tests" }));

        var saves = Enumerable.Range(0, 20).Select(i => log.SaveAsync($"wh_unreachable_{i}", new DeliveryLogChanges([Row(1, DeliveryStatus.Pending, "x")], []))).ToList();
        foreach (var save in saves)
        {
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => save);
        }

        // The first save's transaction and one for the rest; retried one by one, it would have been 20 or more.
        Assert.InRange(accepted.Count, 1, 2);
        await stop.CancelAsync();
        await accepting;
        foreach (var client in accepted)
        {
            client.Dispose();
        }
    }

    // The contract a listener's writes alongside a flush in flight rely on (CoalescingWriter.WriteAlongsideAsync).
    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.PostgreSql)]
    public async Task SavesOfOneListener_CalledBeforeTheOneBeforeCompleted_ApplyInCallOrder(StorageProvider provider)
    {
        var log = Create(provider);
        await log.SaveAsync("wh_seq", new DeliveryLogChanges([Row(1, DeliveryStatus.Pending, "one"), Row(2, DeliveryStatus.Pending, "two")], []));

        // Not awaited one by one: they may share a transaction, and must still apply in order.
        await Task.WhenAll(
            log.SaveAsync("wh_seq", new DeliveryLogChanges([Row(3, DeliveryStatus.Pending, "three"), Row(1, DeliveryStatus.Failed, "one, failed")], [])),
            log.SaveAsync("wh_seq", new DeliveryLogChanges([Row(3, DeliveryStatus.Succeeded, "three, delivered")], [2])),
            log.SaveAsync("wh_seq", new DeliveryLogChanges([Row(4, DeliveryStatus.Pending, "four")], [1, 3])),
            log.SaveAsync("wh_seq", new DeliveryLogChanges([Row(1, DeliveryStatus.Pending, "one, again")], [])));

        Assert.Equal([(1L, DeliveryStatus.Pending, "one, again"), (4L, DeliveryStatus.Pending, "four")], (await log.LoadAsync("wh_seq")).Select(Describe));
    }

    [Fact]
    public void Merge_KeepsTheLastVersionOfEachRow_AndAppliesRemovalsInOrder()
    {
        var merged = MergedChanges.Merge(
        [
            ("wh_a", new DeliveryLogChanges([Row(1, DeliveryStatus.Pending, "a1"), Row(2, DeliveryStatus.Pending, "a2")], [])),
            ("wh_b", new DeliveryLogChanges([Row(9, DeliveryStatus.Pending, "b9")], [])),
            ("wh_a", new DeliveryLogChanges([Row(1, DeliveryStatus.Succeeded, "a1, delivered")], [2, 5, 6, 7, 10])),
            ("wh_a", new DeliveryLogChanges([Row(6, DeliveryStatus.Pending, "a6, stored again")], [])),
        ]);

        Assert.Empty(merged.RemoveAll);
        Assert.Equal([("wh_a", 2L, 2L), ("wh_a", 5L, 5L), ("wh_a", 7L, 7L), ("wh_a", 10L, 10L)], merged.Removals);
        Assert.Equal(
            [("wh_a", 1L, DeliveryStatus.Succeeded, "a1, delivered"), ("wh_a", 6L, DeliveryStatus.Pending, "a6, stored again"), ("wh_b", 9L, DeliveryStatus.Pending, "b9")],
            merged.Upserts.Select(u => (u.ListenerId, u.Row.Seq, u.Row.Status, System.Text.Encoding.UTF8.GetString(u.Row.Record))));
    }

    [Fact]
    public void Merge_FoldsConsecutiveRemovalsIntoRuns()
    {
        var merged = MergedChanges.Merge([("wh_a", new DeliveryLogChanges([], [8, 1, 2, 3, 7, 12]))]);

        Assert.Equal([("wh_a", 1L, 3L), ("wh_a", 7L, 8L), ("wh_a", 12L, 12L)], merged.Removals);
    }

    [Fact]
    public void Merge_RemoveAll_DropsWhatCameBeforeIt_AndKeepsWhatCameAfter()
    {
        var merged = MergedChanges.Merge(
        [
            ("wh_a", new DeliveryLogChanges([Row(1, DeliveryStatus.Pending, "before")], [])),
            ("wh_b", new DeliveryLogChanges([Row(1, DeliveryStatus.Pending, "other listener")], [])),
            ("wh_a", new DeliveryLogChanges([], [], RemoveAll: true)),
            ("wh_a", new DeliveryLogChanges([Row(2, DeliveryStatus.Pending, "after")], [])),
        ]);

        Assert.Equal(["wh_a"], merged.RemoveAll);
        Assert.Empty(merged.Removals);
        Assert.Equal([("wh_a", 2L), ("wh_b", 1L)], merged.Upserts.Select(u => (u.ListenerId, u.Row.Seq)));
    }

    private IDeliveryLog Create(StorageProvider provider) => Create(provider, out _);

    private IDeliveryLog Create(StorageProvider provider, out SqliteWriter? sqliteWriter)
    {
        var cluster = Options.Create(new ClusterOptions { ServiceId = "delivery-log-tests" });
        sqliteWriter = null;
        if (provider == StorageProvider.Sqlite)
        {
            var writer = sqliteWriter = new SqliteWriter(Options.Create(new StorageOptions { ConnectionString = _sqlite.ConnectionString }), NullLogger<SqliteWriter>.Instance);
            _owned.Add(writer);
            return new SqliteDeliveryLog(writer, new SqliteDeliveryJournal(cluster), cluster);
        }

        var database = new PostgreSqlDatabase(Options.Create(new StorageOptions { Provider = StorageProvider.PostgreSql, ConnectionString = _postgres }));
        _ownedAsync.Add(database);
        return new PostgreSqlDeliveryLog(database, cluster);
    }

    /// <summary>Rows in the SQLite file's delivery table and in its journal, read on a connection of the test's own.</summary>
    private (long Table, long Journal) CountRows()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(_sqlite.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM WebhooksDeliveries), (SELECT count(*) FROM WebhooksDeliveryJournal);";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static DeliveryRow Row(long seq, DeliveryStatus status, string text) => new(seq, status, System.Text.Encoding.UTF8.GetBytes(text));

    private static (long, DeliveryStatus, string) Describe(DeliveryRow row) => (row.Seq, row.Status, System.Text.Encoding.UTF8.GetString(row.Record));
}
