using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Webhooks.Grains.Storage;
using Webhooks.Grains.Storage.Sqlite;
using Webhooks.Grains.Tests.Infrastructure;

namespace Webhooks.Grains.Tests.Storage;

public sealed class SqliteWriterTests : IDisposable
{
    private readonly TestDeployment _deployment = new();
    private readonly SqliteWriter _writer;

    public SqliteWriterTests()
    {
        var options = Options.Create(new StorageOptions { ConnectionString = _deployment.ConnectionString });
        SqliteSchemaInstaller.InstallAsync(_deployment.ConnectionString, NullLogger.Instance, CancellationToken.None).GetAwaiter().GetResult();
        using (var connection = _deployment.OpenDatabase())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "CREATE TABLE Probe (Id INTEGER PRIMARY KEY, Value TEXT NOT NULL);";
            command.ExecuteNonQuery();
        }

        _writer = new SqliteWriter(options, NullLogger<SqliteWriter>.Instance);
    }

    public void Dispose()
    {
        _writer.Dispose();
        _deployment.Dispose();
    }

    [Fact]
    public async Task WritesQueuedWhileOneCommits_ShareTheNextCommit()
    {
        using var running = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var first = _writer.ExecuteAsync(s =>
        {
            running.Set();
            release.Wait();
            return s.Execute("INSERT INTO Probe (Id, Value) VALUES ($1, $2);", 0, "first");
        });
        running.Wait();

        var queued = Enumerable.Range(1, 200)
            .Select(i => _writer.ExecuteAsync(s => s.Execute("INSERT INTO Probe (Id, Value) VALUES ($1, $2);", i, "queued")))
            .ToList();
        release.Set();
        await Task.WhenAll(queued.Append(first));

        Assert.Equal(201, Count());
        // The blocked write's batch, then one batch for all 200 queued behind it (the batch limit is 512).
        Assert.Equal(2, _writer.Commits);
    }

    [Fact]
    public async Task AFailingWrite_FailsAlone_AndItsNeighboursAreCommitted()
    {
        using var release = new ManualResetEventSlim();
        var blocker = _writer.ExecuteAsync(s =>
        {
            release.Wait();
            return s.Execute("INSERT INTO Probe (Id, Value) VALUES ($1, $2);", 1, "blocker");
        });
        var before = _writer.ExecuteAsync(s => s.Execute("INSERT INTO Probe (Id, Value) VALUES ($1, $2);", 2, "before"));
        var duplicate = _writer.ExecuteAsync(s => s.Execute("INSERT INTO Probe (Id, Value) VALUES ($1, $2);", 2, "duplicate"));
        var after = _writer.ExecuteAsync(s => s.Execute("INSERT INTO Probe (Id, Value) VALUES ($1, $2);", 3, "after"));
        release.Set();

        await Task.WhenAll(blocker, before, after);
        await Assert.ThrowsAsync<SqliteException>(() => duplicate);
        Assert.Equal(["blocker", "before", "after"], Values());
    }

    [Fact]
    public async Task AWrite_IsVisibleToAnotherConnection_OnceItsTaskCompletes()
    {
        await _writer.ExecuteAsync(s => s.Execute("INSERT INTO Probe (Id, Value) VALUES ($1, $2);", 7, "durable"));

        Assert.Equal(["durable"], Values());
    }

    [Fact]
    public async Task Reads_OnKeptConnections_SeeEveryWriteCommittedBeforeThem()
    {
        const string insert = "INSERT INTO Probe (Id, Value) VALUES ($1, $2);";
        for (var i = 1; i <= 20; i++)
        {
            await _writer.ExecuteAsync(s => s.Execute(insert, i, $"v{i}"));

            // Concurrent readers take several kept connections; each must see the write just committed, not a
            // snapshot left over from its previous read.
            var counts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => ReadCount())));
            Assert.All(counts, count => Assert.Equal(i, count));
        }
    }

    [Fact]
    public async Task AFailedRead_LeavesTheNextReadsWorking()
    {
        await _writer.ExecuteAsync(s => s.Execute("INSERT INTO Probe (Id, Value) VALUES ($1, $2);", 1, "one"));

        Assert.Throws<SqliteException>(() => _writer.Read("SELECT Missing FROM Probe;", static rows => rows.Read()));
        Assert.Throws<InvalidOperationException>(() => _writer.Read<bool>("SELECT Value FROM Probe WHERE Id = $1;", static _ => throw new InvalidOperationException("reader callback failed"), 1));

        Assert.Equal("one", _writer.Read("SELECT Value FROM Probe WHERE Id = $1;", static rows => rows.Read() ? rows.GetString(0) : null, 1));
        Assert.Equal(1, ReadCount());
    }

    [Fact]
    public async Task Dispose_WhileWritesAreQueued_CommitsThemAndReturns()
    {
        // A writer of the test's own: should Dispose hang, the class's Dispose must not hang on it too.
        var writer = new SqliteWriter(Options.Create(new StorageOptions { ConnectionString = _deployment.ConnectionString }), NullLogger<SqliteWriter>.Instance);
        using var running = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var blocker = writer.ExecuteAsync(s =>
        {
            running.Set();
            release.Wait();
            return s.Execute("INSERT INTO Probe (Id, Value) VALUES ($1, $2);", 1, "blocker");
        });
        running.Wait();
        var queued = writer.ExecuteAsync(s => s.Execute("INSERT INTO Probe (Id, Value) VALUES ($1, $2);", 2, "queued"));

        // Dispose's wake-up is taken by the batch that holds the queued write; the writer must still notice it is stopping.
        var disposing = Task.Run(writer.Dispose);
        await WaitUntilStoppingAsync(writer);
        release.Set();

        await disposing.WaitAsync(TimeSpan.FromSeconds(30)); // a TimeoutException here means Dispose waits forever
        await Task.WhenAll(blocker, queued).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["blocker", "queued"], Values());
    }

    [Fact]
    public void Read_AfterDispose_IsRefused()
    {
        Assert.Equal(0, ReadCount());
        _writer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => ReadCount());
    }

    [Fact]
    public async Task WritesBindEachValueToItsNumberedParameter_WhateverTheirOrderInTheText()
    {
        await _writer.ExecuteAsync(s => s.Execute(
            "CREATE TABLE Typed (Id INTEGER PRIMARY KEY, Name TEXT, Small INTEGER, Big INTEGER, Data BLOB, Absent TEXT);"));
        const string insert = "INSERT INTO Typed (Name, Id, Data, Big, Small, Absent) VALUES ($2, $1, $5, $4, $3, $6);";
        var inserted = await _writer.ExecuteAsync(s =>
            s.Execute(insert, 1L, "first é", 7, long.MaxValue, new byte[] { 0, 1, 255 }, null) +
            s.Execute(insert, 2L, "", -1, long.MinValue, Array.Empty<byte>(), DBNull.Value) +
            // A null binds as NULL, not as the value the statement had before.
            s.Execute(insert, 3L, null, null, null, null, null));
        Assert.Equal(3, inserted);

        var rows = _writer.Read("SELECT Id, Name, Small, Big, Data, typeof(Data), Absent FROM Typed ORDER BY Id;", static rows =>
        {
            var list = new List<string>();
            while (rows.Read())
            {
                var data = rows.IsDBNull(4) ? "null" : Convert.ToHexString((byte[])rows.GetValue(4));
                list.Add($"{rows.GetInt64(0)}|{(rows.IsDBNull(1) ? "null" : rows.GetString(1))}|{(rows.IsDBNull(2) ? "null" : rows.GetInt64(2))}|" +
                    $"{(rows.IsDBNull(3) ? "null" : rows.GetInt64(3))}|{data}|{rows.GetString(5)}|{(rows.IsDBNull(6) ? "null" : rows.GetString(6))}");
            }

            return list;
        });
        Assert.Equal(
        [
            $"1|first é|7|{long.MaxValue}|0001FF|blob|null",
            $"2||-1|{long.MinValue}||blob|null",
            "3|null|null|null|null|null|null",
        ], rows);
    }

    [Fact]
    public async Task AWrite_AnswersTheRowsItChanged_AndTextOfSeveralStatementsRunsThemAll()
    {
        await _writer.ExecuteAsync(s => s.Execute("INSERT INTO Probe (Id, Value) VALUES ($1, $2);", 1, "a") + s.Execute("INSERT INTO Probe (Id, Value) VALUES ($1, $2);", 2, "a"));

        Assert.Equal(2, await _writer.ExecuteAsync(s => s.Execute("UPDATE Probe SET Value = $1 WHERE Value = $2;", "b", "a")));
        Assert.Equal(0, await _writer.ExecuteAsync(s => s.Execute("DELETE FROM Probe WHERE Id = $1;", 99)));
        await _writer.ExecuteAsync(s => s.Execute("INSERT INTO Probe (Id, Value) VALUES ($1, 'c'); INSERT INTO Probe (Id, Value) VALUES ($2, 'd');", 3, 4));
        // A value of another type than text, integer or bytes goes through the command, and still binds.
        await _writer.ExecuteAsync(s => s.Execute("INSERT INTO Probe (Id, Value) VALUES ($1, $2);", 5, 2.5));

        Assert.Equal(["b", "b", "c", "d", "2.5"], Values());
    }

    /// <summary>Waits until <paramref name="writer"/> refuses reads: its Dispose has begun.</summary>
    private static async Task WaitUntilStoppingAsync(SqliteWriter writer)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
                writer.Read("SELECT 1;", static rows => rows.Read());
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), deadline.Token);
        }
    }

    private long ReadCount() => _writer.Read("SELECT COUNT(*) FROM Probe;", static rows => rows.Read() ? rows.GetInt64(0) : -1);

    private long Count()
    {
        using var connection = _deployment.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM Probe;";
        return (long)command.ExecuteScalar()!;
    }

    private List<string> Values()
    {
        using var connection = _deployment.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Value FROM Probe ORDER BY Id;";
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
