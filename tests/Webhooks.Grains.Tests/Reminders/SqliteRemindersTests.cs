using System.Globalization;
using Microsoft.Data.Sqlite;
using Webhooks.Grains.Hosting;

namespace Webhooks.Grains.Tests.Reminders;

/// <summary>Orleans reminders through the product's silo registration, stored in the SQLite file next to the grain state.</summary>
public sealed class SqliteRemindersTests : IDisposable
{
    // Generous: a tick is due within a period or two; this only bounds a broken test.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly ReminderDeployment _deployment = new();

    public void Dispose() => _deployment.Dispose();

    [Fact]
    public async Task RegisteredReminder_Ticks()
    {
        var key = NewKey();
        await using var cluster = await _deployment.StartClusterAsync();

        await cluster.Probe(key).RegisterAsync("tick", TimeSpan.Zero, Period);

        await cluster.Ticks.WaitForTicksAsync(key, "tick", count: 2, Patience);
    }

    [Fact]
    public async Task Reminder_WakesItsGrainInANewClusterAfterTheWholeClusterStopped()
    {
        var key = NewKey();
        await using (var cluster = await _deployment.StartClusterAsync())
        {
            await cluster.Probe(key).RegisterAsync("wake", Period, Period);
        }

        Assert.Single(_deployment.ReadStoredReminders(), r => r.ReminderName == "wake");

        // Nobody calls the grain in the new cluster: only the reminder service, reading the table, can activate it.
        await using var restarted = await _deployment.StartClusterAsync();
        await restarted.Ticks.WaitForTicksAsync(key, "wake", count: 1, Patience);
    }

    [Fact]
    public async Task UnregisteredReminder_IsRemovedFromTheTableAndDoesNotTickAfterARestart()
    {
        var key = NewKey();
        await using (var cluster = await _deployment.StartClusterAsync())
        {
            var probe = cluster.Probe(key);
            await probe.RegisterAsync("kept", Period, Period);
            await probe.RegisterAsync("removed", Period, Period);
            await cluster.Ticks.WaitForTicksAsync(key, "removed", count: 1, Patience);

            Assert.True(await probe.UnregisterAsync("removed"));

            Assert.Equal(["kept"], _deployment.ReadStoredReminders().Select(r => r.ReminderName));
        }

        await using var restarted = await _deployment.StartClusterAsync();
        // Both reminders have the same period and would be loaded by the same initial read, so by the third tick of
        // "kept" more than a full period has passed in which "removed" would have ticked had it been loaded.
        await restarted.Ticks.WaitForTicksAsync(key, "kept", count: 3, Patience);
        Assert.Equal(0, restarted.Ticks.Count(key, "removed"));

        Assert.False(await restarted.Probe(key).UnregisterAsync("removed"));
        Assert.Equal(["kept"], _deployment.ReadStoredReminders().Select(r => r.ReminderName));
    }

    [Fact]
    public async Task StoredRows_CarryTheGrainTheNameThePeriodAndAVersionPerUpdate()
    {
        var key = NewKey();
        var due = TimeSpan.FromHours(1);
        // Beyond int.MaxValue milliseconds, so the provider binds the period as a 64-bit value.
        var longPeriod = TimeSpan.FromDays(40);
        await using var cluster = await _deployment.StartClusterAsync();
        var probe = cluster.Probe(key);
        var grainId = probe.GetGrainId();

        var before = DateTime.UtcNow;
        await probe.RegisterAsync("daily", due, TimeSpan.FromDays(1));
        await probe.RegisterAsync("monthly", due, longPeriod);
        var after = DateTime.UtcNow;

        var rows = _deployment.ReadStoredReminders();
        Assert.Equal(["daily", "monthly"], rows.Select(r => r.ReminderName));
        Assert.All(rows, row =>
        {
            Assert.Equal(_deployment.ServiceId, row.ServiceId);
            Assert.Equal(grainId.ToString(), row.GrainId);
            Assert.Equal((long)(int)grainId.GetUniformHashCode(), row.GrainHash);
            Assert.Equal(0, row.Version);

            // UTC, as text without a zone: registration time plus the due time.
            var startTime = DateTime.Parse(row.StartTime, CultureInfo.InvariantCulture, DateTimeStyles.None);
            Assert.InRange(startTime, before + due, after + due);
        });
        Assert.Equal((long)TimeSpan.FromDays(1).TotalMilliseconds, rows[0].Period);
        Assert.Equal((long)longPeriod.TotalMilliseconds, rows[1].Period);

        await probe.RegisterAsync("daily", due, TimeSpan.FromHours(12));

        var updated = Assert.Single(_deployment.ReadStoredReminders(), r => r.ReminderName == "daily");
        Assert.Equal(1, updated.Version);
        Assert.Equal((long)TimeSpan.FromHours(12).TotalMilliseconds, updated.Period);
    }

    [Fact]
    public async Task ADatabaseFromBeforeReminders_GetsTheReminderTableWhenTheSiloStarts()
    {
        // A file written by a release without reminders: schema version 1 only.
        using (var connection = new SqliteConnection(_deployment.ConnectionString))
        {
            connection.Open();
            Execute(connection, ReadSchemaScript("sqlite/001-grain-state.sql"));
            Execute(connection, "PRAGMA user_version = 1;");
        }

        var key = NewKey();
        await using var cluster = await _deployment.StartClusterAsync();

        Assert.True(UserVersion() >= 2);
        await cluster.Probe(key).RegisterAsync("tick", TimeSpan.Zero, Period);
        await cluster.Ticks.WaitForTicksAsync(key, "tick", count: 1, Patience);
        Assert.Single(_deployment.ReadStoredReminders());
    }

    private long UserVersion()
    {
        using var connection = new SqliteConnection(_deployment.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return (long)command.ExecuteScalar()!;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string ReadSchemaScript(string resourceName)
    {
        using var stream = typeof(WebhooksSiloBuilderExtensions).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"The schema script {resourceName} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string NewKey() => "probe-" + Guid.NewGuid().ToString("N");
}
