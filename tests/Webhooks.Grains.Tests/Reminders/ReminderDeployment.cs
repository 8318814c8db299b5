using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Webhooks.Grains.Hosting;
using Webhooks.Grains.Storage;
using Webhooks.Grains.Tests.Infrastructure;

namespace Webhooks.Grains.Tests.Reminders;

/// <summary>
/// A SQLite file of its own plus the service and cluster ids: every cluster started on it, including one started
/// after the previous one stopped, sees the same reminders.
/// </summary>
internal sealed class ReminderDeployment : IDisposable
{
    /// <summary>Low enough for a test to see several ticks quickly; the Orleans default is one minute.</summary>
    public static readonly TimeSpan MinimumPeriod = TimeSpan.FromMilliseconds(500);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "webhooks-reminder-tests", Guid.NewGuid().ToString("N"));

    public ReminderDeployment()
    {
        Directory.CreateDirectory(_folder);
    }

    public string ConnectionString => $"Data Source={Path.Combine(_folder, "webhooks.db")}";

    public string ServiceId { get; } = "webhooks-reminder-tests-" + Guid.NewGuid().ToString("N");

    public string ClusterId { get; } = InProcessTestClusterBuilder.CreateClusterId();

    /// <summary>Starts a one-silo cluster with the product's registration; its ticks are recorded in a fresh <see cref="ReminderTicks"/>.</summary>
    public async Task<ReminderCluster> StartClusterAsync()
    {
        var ticks = new ReminderTicks();
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.Options.ServiceId = ServiceId;
        builder.Options.ClusterId = ClusterId;
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddWebhooks(o => o.ConnectionString = ConnectionString);
            // The dispatcher uses no reminders; the schema still carries Orleans' reminder table, which a host may use.
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = StorageConnections.Invariant(StorageProvider.Sqlite);
                o.ConnectionString = ConnectionString;
            });
            silo.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(_folder, "keys")));
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = MinimumPeriod);
            silo.Services.AddSingleton(ticks);
        });

        var cluster = await builder.BuildAndDeployAsync();

        return new ReminderCluster(cluster, ticks);
    }

    /// <summary>The reminder rows as they are stored, read with a connection of the test's own.</summary>
    public IReadOnlyList<StoredReminder> ReadStoredReminders()
    {
        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version
            FROM OrleansRemindersTable
            ORDER BY GrainId, ReminderName;
            """;
        using var reader = command.ExecuteReader();
        var rows = new List<StoredReminder>();
        while (reader.Read())
        {
            rows.Add(new StoredReminder(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetInt64(4),
                reader.GetInt64(5),
                reader.GetInt64(6)));
        }

        return rows;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp directory; nothing depends on it.
        }
    }
}

internal sealed record StoredReminder(
    string ServiceId, string GrainId, string ReminderName, string StartTime, long Period, long GrainHash, long Version);

internal sealed class ReminderCluster(InProcessTestCluster cluster, ReminderTicks ticks) : IAsyncDisposable
{
    public ReminderTicks Ticks { get; } = ticks;

    public IReminderProbeGrain Probe(string key) => cluster.Client.GetGrain<IReminderProbeGrain>(key);

    /// <summary>The silo's reminder table: the AdoNet provider running the queries of <c>002-reminders.sql</c>.</summary>
    public IReminderTable ReminderTable => cluster.GetSiloServiceProvider().GetRequiredService<IReminderTable>();

    /// <summary>Stops the silo gracefully (reminders stay in the table) and disposes the cluster.</summary>
    public async ValueTask DisposeAsync()
    {
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
    }
}
