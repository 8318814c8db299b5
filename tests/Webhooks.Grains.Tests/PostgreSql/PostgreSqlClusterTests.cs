using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Messaging;
using Orleans.Storage;

namespace Webhooks.Grains.Tests.PostgreSql;

/// <summary>
/// Grain state, optimistic concurrency, membership and reminders on a two-silo cluster whose AdoNet providers run
/// the queries of deploy/sql/postgresql against a real PostgreSQL.
/// </summary>
public sealed class PostgreSqlClusterTests(PostgreSqlClusterFixture fixture) : IClassFixture<PostgreSqlClusterFixture>
{
    // Generous: a tick is due within a period or two; this only bounds a broken test.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private const string StateName = "probe";

    private IGrainStorage Storage => fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(PostgreSqlClusterFixture.StorageName);

    [Fact]
    public async Task StateWrittenThroughTheStorage_IsReadBackAfterDeactivation()
    {
        var key = NewKey();
        var probe = fixture.Probe(key);
        await probe.SetValueAsync("first");
        await probe.SetValueAsync("second");

        await fixture.Cluster.DeactivateAsync(probe);
        Assert.False(fixture.Cluster.TryGetGrainContext(probe.GetGrainId(), out _), "The probe is still active.");

        Assert.Equal("second", await probe.GetValueAsync());

        // Stored as plain JSON at version 2, one row for the grain.
        var row = Assert.Single(await ReadStoredStatesAsync(key));
        Assert.Equal(2, row.Version);
        Assert.Equal("""{"value":"second"}""", row.Json);
    }

    [Fact]
    public async Task TwoWritersWithTheSameETag_TheSecondGetsInconsistentState()
    {
        var grainId = NewGrainId();
        var original = State("original", eTag: null);
        await Storage.WriteStateAsync(StateName, grainId, original);
        Assert.Equal("1", original.ETag);

        var first = State("first", original.ETag);
        var second = State("second", original.ETag);
        await Storage.WriteStateAsync(StateName, grainId, first);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, grainId, second));

        Assert.Equal("2", first.ETag);
        var read = State(null, eTag: null);
        await Storage.ReadStateAsync(StateName, grainId, read);
        Assert.NotNull(read.State);
        Assert.Equal("first", read.State.Value);
        Assert.Equal("2", read.ETag);
        Assert.True(read.RecordExists);
    }

    [Fact]
    public async Task ConcurrentWritersWithTheSameETag_ExactlyOneWins()
    {
        const int Writers = 8;
        var grainId = NewGrainId();
        var original = State("original", eTag: null);
        await Storage.WriteStateAsync(StateName, grainId, original);

        var outcomes = await RaceAsync(Writers, i => Storage.WriteStateAsync(StateName, grainId, State($"writer {i}", original.ETag)));

        Assert.Equal(1, outcomes.Count(o => o is null));
        Assert.All(outcomes.Where(o => o is not null), o => Assert.IsType<InconsistentStateException>(o));
        var read = State(null, eTag: null);
        await Storage.ReadStateAsync(StateName, grainId, read);
        Assert.Equal("2", read.ETag);
    }

    [Fact]
    public async Task ConcurrentFirstWrites_ExactlyOneInserts()
    {
        const int Writers = 8;
        var grainId = NewGrainId();

        var outcomes = await RaceAsync(Writers, i => Storage.WriteStateAsync(StateName, grainId, State($"writer {i}", eTag: null)));

        Assert.Equal(1, outcomes.Count(o => o is null));
        Assert.All(outcomes.Where(o => o is not null), o => Assert.IsType<InconsistentStateException>(o));
        var read = State(null, eTag: null);
        await Storage.ReadStateAsync(StateName, grainId, read);
        Assert.Equal("1", read.ETag);
    }

    [Fact]
    public async Task ClearedState_KeepsItsVersion_SoAStaleWriterStillConflicts()
    {
        var grainId = NewGrainId();
        var writer = State("value", eTag: null);
        await Storage.WriteStateAsync(StateName, grainId, writer);
        var stale = State("stale", writer.ETag);

        await Storage.ClearStateAsync(StateName, grainId, writer);

        Assert.Equal("2", writer.ETag);
        var read = State(null, eTag: null);
        await Storage.ReadStateAsync(StateName, grainId, read);
        Assert.False(read.RecordExists);
        Assert.NotNull(read.State);
        Assert.Null(read.State.Value);
        Assert.Equal("2", read.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, grainId, stale));
        await Storage.WriteStateAsync(StateName, grainId, read);
        Assert.Equal("3", read.ETag);
    }

    [Fact]
    public async Task Membership_HasAnActiveRowForEachSilo_AndTheClientFindsBothGateways()
    {
        var rows = new List<(string Address, int Port, int Generation, int Status, int ProxyPort, DateTime IAmAlive)>();
        await using (var connection = await PostgreSqlSchema.OpenAsync(fixture.ConnectionString))
        await using (var command = new NpgsqlCommand(
            "SELECT Address, Port, Generation, Status, ProxyPort, IAmAliveTime FROM OrleansMembershipTable WHERE DeploymentId = $1;", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = fixture.ClusterId });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetDateTime(5)));
            }
        }

        var silos = fixture.Cluster.Silos.Select(s => s.SiloAddress).ToArray();
        Assert.Equal(2, silos.Length);
        Assert.Equal(
            silos.Select(s => (s.Endpoint.Address.ToString(), s.Endpoint.Port, s.Generation)).Order(),
            rows.Select(r => (r.Address, r.Port, r.Generation)).Order());
        Assert.All(rows, r => Assert.Equal((int)SiloStatus.Active, r.Status));
        Assert.All(rows, r => Assert.True(r.ProxyPort > 0));
        // Heartbeats are instants: read back in UTC, they are recent whatever the session's time zone.
        Assert.All(rows, r => Assert.InRange(r.IAmAlive, DateTime.UtcNow.AddMinutes(-10), DateTime.UtcNow.AddMinutes(1)));

        var gateways = await fixture.Cluster.Client.ServiceProvider.GetRequiredService<IGatewayListProvider>().GetGateways();
        Assert.Equal(2, gateways.Count);
    }

    [Fact]
    public async Task RegisteredReminder_IsStoredInTheRemindersTable_AndTicks_UntilUnregistered()
    {
        var key = NewKey();
        var probe = fixture.Probe(key);
        var registeredAt = DateTime.UtcNow;

        await probe.StartReminderAsync("tick", TimeSpan.FromSeconds(1));

        var stored = Assert.Single(await ReadStoredRemindersAsync(probe.GetGrainId()));
        Assert.Equal("tick", stored.ReminderName);
        Assert.Equal(1000, stored.Period);
        Assert.Equal(0, stored.Version);
        Assert.InRange(stored.StartTime, registeredAt.AddMinutes(-1), registeredAt.AddMinutes(1));

        await fixture.Ticks.WaitForTicksAsync(key, "tick", count: 2, Patience);

        Assert.True(await probe.StopReminderAsync("tick"));
        Assert.Empty(await ReadStoredRemindersAsync(probe.GetGrainId()));
        Assert.False(await probe.StopReminderAsync("tick"));
    }

    [Fact]
    public async Task ReminderTable_VersionsEachUpsert_AndRemovesOnlyWithTheCurrentETag()
    {
        var table = fixture.Cluster.GetSiloServiceProvider().GetRequiredService<IReminderTable>();
        // A grain that does not exist, due tomorrow: the reminder service never fires it.
        var grainId = GrainId.Create("pg-reminder-table-probe", NewKey());
        var startAt = new DateTime(DateTime.UtcNow.AddDays(1).Ticks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
        var longPeriod = TimeSpan.FromDays(40); // beyond int.MaxValue milliseconds: bound as a 64-bit value

        Assert.Equal("0", await table.UpsertRow(Entry(grainId, "r", startAt, TimeSpan.FromMinutes(5))));
        Assert.Equal("1", await table.UpsertRow(Entry(grainId, "r", startAt, longPeriod)));

        var read = await table.ReadRow(grainId, "r");
        Assert.NotNull(read);
        Assert.Equal("1", read.ETag);
        Assert.Equal(longPeriod, read.Period);
        Assert.Equal(startAt, read.StartAt);
        Assert.Equal(DateTimeKind.Utc, read.StartAt.Kind);
        Assert.Null(await table.ReadRow(grainId, "unknown"));

        // The whole ring (begin = end) holds the row; so does the range ending exactly at its hash.
        var hash = grainId.GetUniformHashCode();
        Assert.Contains((await table.ReadRows(hash, hash)).Reminders, r => r.GrainId == grainId);
        Assert.Contains((await table.ReadRows(hash - 1, hash)).Reminders, r => r.GrainId == grainId);
        Assert.DoesNotContain((await table.ReadRows(hash, hash + 1)).Reminders, r => r.GrainId == grainId);

        Assert.False(await table.RemoveRow(grainId, "r", "0"));
        Assert.True(await table.RemoveRow(grainId, "r", "1"));
        Assert.False(await table.RemoveRow(grainId, "r", "1"));
        Assert.Null(await table.ReadRow(grainId, "r"));
    }

    private static ReminderEntry Entry(GrainId grainId, string name, DateTime startAt, TimeSpan period) =>
        new() { GrainId = grainId, ReminderName = name, StartAt = startAt, Period = period };

    private static GrainState<PostgreSqlProbeState> State(string? value, string? eTag) =>
        new() { State = new PostgreSqlProbeState { Value = value }, ETag = eTag };

    // Not a bare GUID: Orleans would take it for a GUID key and store it in GrainIdN0/N1 instead of as a string.
    private static string NewKey() => "probe-" + Guid.NewGuid().ToString("N");

    private static GrainId NewGrainId() => GrainId.Create("pg-storage-probe", NewKey());

    /// <summary>Starts all writers at once; the exception each one ended with, or null for success.</summary>
    private static async Task<Exception?[]> RaceAsync(int writers, Func<int, Task> write)
    {
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, writers).Select(i => Task.Run(async () =>
        {
            await go.Task;
            try
            {
                await write(i);
                return null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        })).ToArray();
        go.SetResult();
        return await Task.WhenAll(tasks);
    }

    private async Task<IReadOnlyList<(int Version, string Json)>> ReadStoredStatesAsync(string grainKey)
    {
        var rows = new List<(int, string)>();
        await using var connection = await PostgreSqlSchema.OpenAsync(fixture.ConnectionString);
        await using var command = new NpgsqlCommand(
            "SELECT Version, convert_from(PayloadBinary, 'UTF8') FROM OrleansStorage WHERE ServiceId = $1 AND GrainIdExtensionString = $2;", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = fixture.ServiceId });
        command.Parameters.Add(new NpgsqlParameter { Value = grainKey });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt32(0), reader.GetString(1)));
        }

        return rows;
    }

    private async Task<IReadOnlyList<(string ReminderName, long Period, int Version, DateTime StartTime)>> ReadStoredRemindersAsync(GrainId grainId)
    {
        var rows = new List<(string, long, int, DateTime)>();
        await using var connection = await PostgreSqlSchema.OpenAsync(fixture.ConnectionString);
        await using var command = new NpgsqlCommand(
            "SELECT ReminderName, Period, Version, StartTime FROM OrleansRemindersTable WHERE ServiceId = $1 AND GrainId = $2;", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = fixture.ServiceId });
        command.Parameters.Add(new NpgsqlParameter { Value = grainId.ToString() });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetDateTime(3)));
        }

        return rows;
    }
}
