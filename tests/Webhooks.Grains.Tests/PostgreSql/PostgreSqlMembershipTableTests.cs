using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService;
using Webhooks.Grains.Storage.PostgreSql;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.PostgreSql;

/// <summary>
/// The membership queries of <c>003-clustering.sql</c> held to the AdoNet clustering provider's contract, called on
/// the provider's own <see cref="IMembershipTable"/> (no silo), each test with a cluster id of its own.
/// </summary>
public sealed class PostgreSqlMembershipTableTests : IAsyncLifetime
{
    private static readonly DateTime LongAgo = Milliseconds(DateTime.UtcNow.AddDays(-2));

    private string _database = "";

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.SharedAsync();
        _database = await server.CreateDatabaseAsync();
        await PostgreSqlSchemaInstaller.InstallAsync(_database, NullLogger.Instance, CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Initialization_CreatesTheVersionRowOnce()
    {
        var table = await NewTableAsync();
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);

        var data = await table.ReadAllAsync();
        Assert.Equal(0, data.Version.Version);
        Assert.Empty(data.Members);
    }

    [Fact]
    public async Task InsertRow_NeedsTheCurrentVersion_AndMovesItOn()
    {
        var table = await NewTableAsync();
        var version = (await table.ReadAllAsync()).Version;
        var silo = Entry(port: 11111, SiloStatus.Joining);

        Assert.True(await table.InsertRowAsync(silo, version.Next()));

        var data = await table.ReadAllAsync();
        Assert.Equal(1, data.Version.Version);
        var (stored, eTag) = Assert.Single(data.Members);
        Assert.Equal(silo.SiloAddress, stored.SiloAddress);
        Assert.Equal(silo.SiloName, stored.SiloName);
        Assert.Equal(silo.HostName, stored.HostName);
        Assert.Equal(SiloStatus.Joining, stored.Status);
        Assert.Equal(silo.ProxyPort, stored.ProxyPort);
        Assert.Equal(silo.StartTime, stored.StartTime);
        Assert.Equal(silo.IAmAliveTime, stored.IAmAliveTime);
        Assert.Equal("1", eTag);

        // A stale version, or a silo that is already there: nothing happens, the version stays.
        Assert.False(await table.InsertRowAsync(Entry(port: 22222, SiloStatus.Joining), version.Next()));
        Assert.False(await table.InsertRowAsync(silo, data.Version.Next()));
        var after = await table.ReadAllAsync();
        Assert.Equal(1, after.Version.Version);
        Assert.Single(after.Members);
    }

    [Fact]
    public async Task ConcurrentInserts_WithTheSameVersion_ExactlyOneSucceeds()
    {
        var table = await NewTableAsync();
        var version = (await table.ReadAllAsync()).Version;
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var inserts = Enumerable.Range(0, 6)
            .Select(i => Task.Run(async () =>
            {
                await go.Task;
                return await table.InsertRowAsync(Entry(port: 30000 + i, SiloStatus.Joining), version.Next());
            }))
            .ToArray();
        go.SetResult();
        var results = await Task.WhenAll(inserts);

        Assert.Single(results, r => r);
        var data = await table.ReadAllAsync();
        Assert.Equal(1, data.Version.Version);
        Assert.Single(data.Members);
    }

    [Fact]
    public async Task UpdateRow_NeedsTheCurrentVersion_AndAnExistingSilo()
    {
        var table = await NewTableAsync();
        var silo = Entry(port: 11111, SiloStatus.Joining);
        Assert.True(await table.InsertRowAsync(silo, (await table.ReadAllAsync()).Version.Next()));
        var read = await table.ReadRowAsync(silo.SiloAddress);
        var (entry, eTag) = Assert.Single(read.Members);

        var suspecter = SiloAddress.New(IPAddress.Loopback, 22222, 7);
        entry.Status = SiloStatus.Active;
        entry.IAmAliveTime = Milliseconds(DateTime.UtcNow);
        entry.SuspectTimes = [Tuple.Create(suspecter, Milliseconds(DateTime.UtcNow))];
        Assert.True(await table.UpdateRowAsync(entry, eTag, read.Version.Next()));

        var (updated, _) = Assert.Single((await table.ReadRowAsync(silo.SiloAddress)).Members);
        Assert.Equal(SiloStatus.Active, updated.Status);
        Assert.Equal(entry.IAmAliveTime, updated.IAmAliveTime);
        Assert.Equal(entry.SuspectTimes, updated.SuspectTimes);
        Assert.Equal(2, (await table.ReadAllAsync()).Version.Version);

        // Stale version: refused, nothing changes.
        entry.Status = SiloStatus.Dead;
        Assert.False(await table.UpdateRowAsync(entry, eTag, read.Version.Next()));
        Assert.Equal(SiloStatus.Active, Assert.Single((await table.ReadAllAsync()).Members).Item1.Status);

        // Unknown silo: refused, and the version does not move.
        var current = (await table.ReadAllAsync()).Version;
        Assert.False(await table.UpdateRowAsync(Entry(port: 33333, SiloStatus.Active), current.VersionEtag, current.Next()));
        Assert.Equal(current.Version, (await table.ReadAllAsync()).Version.Version);
    }

    [Fact]
    public async Task ReadRow_OfAnUnknownSilo_StillReturnsTheTableVersion()
    {
        var table = await NewTableAsync();
        Assert.True(await table.InsertRowAsync(Entry(port: 11111, SiloStatus.Active), (await table.ReadAllAsync()).Version.Next()));

        var read = await table.ReadRowAsync(SiloAddress.New(IPAddress.Loopback, 44444, 1));

        Assert.Empty(read.Members);
        Assert.Equal(1, read.Version.Version);
    }

    [Fact]
    public async Task UpdateIAmAlive_ChangesTheHeartbeatOnly()
    {
        var table = await NewTableAsync();
        var silo = Entry(port: 11111, SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(silo, (await table.ReadAllAsync()).Version.Next()));

        var heartbeat = Milliseconds(DateTime.UtcNow.AddSeconds(5));
        await table.UpdateIAmAliveAsync(new MembershipEntry { SiloAddress = silo.SiloAddress, IAmAliveTime = heartbeat });

        var data = await table.ReadAllAsync();
        Assert.Equal(heartbeat, Assert.Single(data.Members).Item1.IAmAliveTime);
        Assert.Equal(1, data.Version.Version);
    }

    [Fact]
    public async Task CleanupDefunctSiloEntries_RemovesOnlyDeadSilosSilentSinceTheCutOff()
    {
        var table = await NewTableAsync();
        var deadLongAgo = Entry(port: 11111, SiloStatus.Dead, LongAgo);
        var deadLongAgoSuspected = Entry(port: 11112, SiloStatus.Dead, LongAgo);
        deadLongAgoSuspected.SuspectTimes = [Tuple.Create(SiloAddress.New(IPAddress.Loopback, 9, 9), LongAgo)];
        var deadRecently = Entry(port: 22222, SiloStatus.Dead);
        var activeLongAgo = Entry(port: 33333, SiloStatus.Active, LongAgo);
        foreach (var entry in new[] { deadLongAgo, deadLongAgoSuspected, deadRecently, activeLongAgo })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));
        }

        var stored = (await table.ReadAllAsync()).Members.Select(m => m.Item1).Single(m => m.SiloAddress.Equals(deadLongAgoSuspected.SiloAddress));
        Assert.Null(stored.SuspectTimes); // InsertRow does not store suspicions; UpdateRow does.
        var read = await table.ReadRowAsync(deadLongAgoSuspected.SiloAddress);
        Assert.True(await table.UpdateRowAsync(deadLongAgoSuspected, read.Members[0].Item2, read.Version.Next()));

        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddHours(-1));

        Assert.Equal(
            new[] { deadRecently.SiloAddress, activeLongAgo.SiloAddress }.Order(),
            (await table.ReadAllAsync()).Members.Select(m => m.Item1.SiloAddress).Order());
    }

    [Fact]
    public async Task DeleteMembershipTableEntries_ForgetsTheCluster()
    {
        var clusterId = NewClusterId();
        var table = await NewTableAsync(clusterId);
        Assert.True(await table.InsertRowAsync(Entry(port: 11111, SiloStatus.Active), (await table.ReadAllAsync()).Version.Next()));
        var other = await NewTableAsync();
        Assert.True(await other.InsertRowAsync(Entry(port: 11111, SiloStatus.Active), (await other.ReadAllAsync()).Version.Next()));

        await table.DeleteMembershipTableEntriesAsync(clusterId);

        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        var data = await table.ReadAllAsync();
        Assert.Empty(data.Members);
        Assert.Equal(0, data.Version.Version);
        Assert.Single((await other.ReadAllAsync()).Members);
    }

    private async Task<IMembershipTable> NewTableAsync(string? clusterId = null)
    {
        var table = new AdoNetClusteringTable(
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new ClusterOptions { ClusterId = clusterId ?? NewClusterId(), ServiceId = "pg-membership-tests" }),
            Options.Create(new AdoNetClusteringSiloOptions { Invariant = PostgreSqlClusterFixture.Invariant, ConnectionString = _database }),
            NullLogger<AdoNetClusteringTable>.Instance);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        return table;
    }

    private static string NewClusterId() => "pg-membership-" + Guid.NewGuid().ToString("N");

    private static MembershipEntry Entry(int port, SiloStatus status, DateTime? at = null)
    {
        var time = at ?? Milliseconds(DateTime.UtcNow);
        return new MembershipEntry
        {
            SiloAddress = SiloAddress.New(IPAddress.Loopback, port, 1),
            SiloName = $"silo-{port}",
            HostName = "test-host",
            Status = status,
            ProxyPort = port + 1,
            StartTime = time,
            IAmAliveTime = time,
        };
    }

    // The table keeps microseconds and the suspicion list milliseconds; whole milliseconds compare equal after a round trip.
    private static DateTime Milliseconds(DateTime value) =>
        new(value.Ticks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
}
