using Microsoft.Data.Sqlite;
using Orleans.TestingHost;

namespace Webhooks.Grains.Tests.Infrastructure;

/// <summary>
/// What outlives a silo: a SQLite file of its own and the service and cluster ids. Every cluster started on a
/// deployment, including one started after a crash, shares all three, so it sees the same grain state.
/// </summary>
internal sealed class TestDeployment : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "webhooks-grains-tests", Guid.NewGuid().ToString("N"));

    public TestDeployment()
    {
        Directory.CreateDirectory(_folder);
    }

    public string DatabasePath => Path.Combine(_folder, "webhooks.db");

    /// <summary>The Data Protection key ring of the deployment's silos, kept across their restarts as the database is.</summary>
    public string KeysFolder => Path.Combine(_folder, "keys");

    public string ConnectionString => $"Data Source={DatabasePath}";

    public string ServiceId { get; } = "webhooks-tests-" + Guid.NewGuid().ToString("N");

    public string ClusterId { get; } = InProcessTestClusterBuilder.CreateClusterId();

    public Task<WebhooksCluster> StartClusterAsync() => WebhooksCluster.StartAsync(this);

    /// <summary>A connection of the test's own, to look at the file the way an operator would.</summary>
    public SqliteConnection OpenDatabase()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Every stored grain state: its grain type (the part of the grain id before the key) and its payload bytes.</summary>
    public IReadOnlyList<(string GrainType, byte[]? Payload)> ReadStoredStates()
    {
        using var connection = OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT substr(GrainId, 1, instr(GrainId, '/') - 1), Payload FROM WebhooksGrainState;";
        using var reader = command.ExecuteReader();
        var rows = new List<(string, byte[]?)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : (byte[])reader.GetValue(1)));
        }

        return rows;
    }

    /// <summary>Whether the grain whose key is <paramref name="key"/> (a listener's or a tenant's id) is on the stored wake-up list.</summary>
    public bool IsOnWakeUpList(string key)
    {
        using var connection = OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM WebhooksWakeUps WHERE ServiceId = $service AND GrainId LIKE $grain;";
        command.Parameters.AddWithValue("$service", ServiceId);
        command.Parameters.AddWithValue("$grain", "%/" + key);
        return (long)command.ExecuteScalar()! > 0;
    }

    /// <summary>The number of rows in <paramref name="table"/> (a name of the schema's, never input).</summary>
    public long CountRows(string table)
    {
        using var connection = OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table};";
        return (long)command.ExecuteScalar()!;
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
            // A crashed silo's frozen calls may still hold the folder; it is in the temp directory either way.
        }
    }
}
