using Webhooks.Grains.Storage.PostgreSql;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.PostgreSql;

/// <summary>
/// <see cref="PostgreSqlSchemaInstaller"/> against a real PostgreSQL (the process-wide <see cref="PostgresServer"/>),
/// each test on a database of its own.
/// </summary>
public sealed class PostgreSqlSchemaInstallerTests : IAsyncLifetime
{
    private PostgresServer _server = null!;

    public async Task InitializeAsync() => _server = await PostgresServer.SharedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task EmptyDatabase_GetsEveryScriptOnce_AndASecondRunChangesNothing()
    {
        var database = await _server.CreateDatabaseAsync();
        var firstRun = new RecordingLogger();

        await PostgreSqlSchemaInstaller.InstallAsync(database, firstRun, CancellationToken.None);

        var versions = await PostgreSqlSchema.ReadVersionsAsync(database);
        Assert.Equal(PostgreSqlSchema.Scripts, versions.Select(v => (v.Version, v.Script)));
        var queries = await PostgreSqlSchema.ReadQueriesAsync(database);
        Assert.Equal(PostgreSqlSchema.AllKeys.Order(StringComparer.Ordinal), queries.Keys);
        Assert.Equal(PostgreSqlSchema.Scripts.Length, firstRun.Messages.Count(m => m.StartsWith("Applied PostgreSQL schema", StringComparison.Ordinal)));

        var secondRun = new RecordingLogger();
        await PostgreSqlSchemaInstaller.InstallAsync(database, secondRun, CancellationToken.None);

        Assert.Equal(versions, await PostgreSqlSchema.ReadVersionsAsync(database));
        Assert.Equal(queries, await PostgreSqlSchema.ReadQueriesAsync(database));
        Assert.Empty(secondRun.Messages);
    }

    [Fact]
    public async Task InstallersStartingTogether_AllSucceed_AndEachScriptIsAppliedExactlyOnce()
    {
        const int Installers = 4;
        var database = await _server.CreateDatabaseAsync();
        var log = new RecordingLogger();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var installers = Enumerable.Range(0, Installers)
            .Select(_ => Task.Run(async () =>
            {
                await go.Task;
                await PostgreSqlSchemaInstaller.InstallAsync(database, log, CancellationToken.None);
            }))
            .ToArray();
        go.SetResult();
        await Task.WhenAll(installers);

        Assert.Equal(PostgreSqlSchema.Scripts, (await PostgreSqlSchema.ReadVersionsAsync(database)).Select(v => (v.Version, v.Script)));
        var applied = log.Messages.Where(m => m.StartsWith("Applied PostgreSQL schema", StringComparison.Ordinal)).ToArray();
        Assert.Equal(PostgreSqlSchema.Scripts.Length, applied.Length);
        Assert.Equal(PostgreSqlSchema.Scripts.Length, applied.Distinct().Count());
        Assert.Equal(PostgreSqlSchema.AllKeys.Order(StringComparer.Ordinal), (await PostgreSqlSchema.ReadQueriesAsync(database)).Keys);
    }

    [Fact]
    public async Task DatabaseAtAnOlderVersion_GetsOnlyTheNewerScripts()
    {
        var database = await _server.CreateDatabaseAsync();
        await PostgreSqlSchemaInstaller.InstallAsync(database, new RecordingLogger(), CancellationToken.None);
        var versionOne = (await PostgreSqlSchema.ReadVersionsAsync(database))[0];

        // Turn it back into a database that only ever had version 1: no reminders, no membership, no delivery log, no accepted events, no events store.
        await PostgreSqlSchema.ExecuteAsync(database, $"""
            DELETE FROM webhooks_schema_version WHERE version > 1;
            DROP TABLE OrleansRemindersTable;
            DROP TABLE OrleansMembershipTable;
            DROP TABLE OrleansMembershipVersionTable;
            DROP TABLE WebhooksDeliveries;
            DROP TABLE WebhooksAcceptedEvents;
            DROP TABLE WebhooksEvents;
            DROP TABLE WebhooksWakeUps;
            DELETE FROM OrleansQuery WHERE QueryKey NOT IN ({string.Join(", ", PostgreSqlSchema.PersistenceKeys.Select(k => $"'{k}'"))});
            """);

        var log = new RecordingLogger();
        await PostgreSqlSchemaInstaller.InstallAsync(database, log, CancellationToken.None);

        var versions = await PostgreSqlSchema.ReadVersionsAsync(database);
        Assert.Equal(PostgreSqlSchema.Scripts, versions.Select(v => (v.Version, v.Script)));
        Assert.Equal(versionOne, versions[0]);
        Assert.Equal(["002-reminders.sql", "003-clustering.sql", "004-delivery-log.sql", "005-accepted-events.sql", "006-delivery-log-fillfactor.sql", "007-data-protection-keys.sql", "008-events.sql", "009-retention.sql", "010-wake-ups.sql"], log.Messages.Select(m => PostgreSqlSchema.Scripts.Single(s => m.Contains(s.Script, StringComparison.Ordinal)).Script));
        Assert.Equal(PostgreSqlSchema.AllKeys.Order(StringComparer.Ordinal), (await PostgreSqlSchema.ReadQueriesAsync(database)).Keys);
        await PostgreSqlSchema.ExecuteAsync(database, "SELECT count(*) FROM OrleansRemindersTable; SELECT count(*) FROM OrleansMembershipTable; SELECT count(*) FROM WebhooksDeliveries; SELECT count(*) FROM WebhooksAcceptedEvents; SELECT count(*) FROM WebhooksEvents; SELECT count(eventseq) FROM WebhooksDeliveries; SELECT count(*) FROM WebhooksWakeUps;");
    }

    [Fact]
    public async Task DatabaseWithWakeUpReminders_GetsThemOnTheWakeUpList_AndKeepsEveryOtherReminder()
    {
        var database = await _server.CreateDatabaseAsync();
        await PostgreSqlSchemaInstaller.InstallAsync(database, new RecordingLogger(), CancellationToken.None);

        // As version 9 left it: a listener's and a tenant's reminders (their wake-ups then), and a host grain's own.
        await PostgreSqlSchema.ExecuteAsync(database, """
            DELETE FROM webhooks_schema_version WHERE version > 9;
            DROP TABLE WebhooksWakeUps;
            INSERT INTO OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version) VALUES
                ('svc', 'webhook/wh_1', 'deliveries', now(), 60000, 1, 0),
                ('svc', 'tenant/t_1', 'deletion', now(), 60000, 2, 0),
                ('svc', 'licence/l_1', 'renewal', now(), 60000, 3, 0);
            """);

        await PostgreSqlSchemaInstaller.InstallAsync(database, new RecordingLogger(), CancellationToken.None);

        await using var connection = await PostgreSqlSchema.OpenAsync(database);
        Assert.Equal(["svc tenant/t_1", "svc webhook/wh_1"], await ReadAsync(connection, "SELECT ServiceId || ' ' || GrainId FROM WebhooksWakeUps ORDER BY GrainId;"));
        Assert.Equal(["licence/l_1 renewal"], await ReadAsync(connection, "SELECT GrainId || ' ' || ReminderName FROM OrleansRemindersTable;"));
    }

    private static async Task<List<string>> ReadAsync(Npgsql.NpgsqlConnection connection, string sql)
    {
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    [Fact]
    public async Task EveryScript_CanRunTwice()
    {
        // The installer runs each script once, but an operator may apply deploy/sql/postgresql by hand, or again.
        var database = await _server.CreateDatabaseAsync();
        await PostgreSqlSchemaInstaller.InstallAsync(database, new RecordingLogger(), CancellationToken.None);
        var queries = await PostgreSqlSchema.ReadQueriesAsync(database);

        foreach (var (_, script) in PostgreSqlSchema.Scripts)
        {
            await PostgreSqlSchema.ExecuteAsync(database, await File.ReadAllTextAsync(ScriptPath(script)));
        }

        Assert.Equal(queries, await PostgreSqlSchema.ReadQueriesAsync(database));
    }

    private static string ScriptPath(string script)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "deploy", "sql", "postgresql", script);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"deploy/sql/postgresql/{script} was not found above {AppContext.BaseDirectory}.");
    }
}
