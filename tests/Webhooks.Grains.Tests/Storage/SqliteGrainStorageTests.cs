using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;
using Webhooks.Grains.Storage;
using Webhooks.Grains.Storage.Sqlite;
using Webhooks.Grains.Tests.Infrastructure;

namespace Webhooks.Grains.Tests.Storage;

public sealed class SqliteGrainStorageTests : IDisposable
{
    private static readonly GrainId Grain = GrainId.Create("probe", "p_1");

    private readonly TestDeployment _deployment = new();
    private readonly SqliteWriter _writer;
    private readonly SqliteGrainStorage _storage;

    public SqliteGrainStorageTests()
    {
        SqliteSchemaInstaller.InstallAsync(_deployment.ConnectionString, NullLogger.Instance, CancellationToken.None).GetAwaiter().GetResult();
        _writer = new SqliteWriter(Options.Create(new StorageOptions { ConnectionString = _deployment.ConnectionString }), NullLogger<SqliteWriter>.Instance);
        _storage = new SqliteGrainStorage(_writer, new JsonGrainStateSerializer(), Options.Create(new ClusterOptions { ServiceId = _deployment.ServiceId }));
    }

    public void Dispose()
    {
        _writer.Dispose();
        _deployment.Dispose();
    }

    [Fact]
    public async Task WrittenState_ReadsBack_WithItsVersion()
    {
        var state = new GrainState<Probe>(new Probe { Text = "one" });
        await _storage.WriteStateAsync("s", Grain, state);
        state.State!.Text = "two";
        await _storage.WriteStateAsync("s", Grain, state);

        var read = new GrainState<Probe>(new Probe());
        await _storage.ReadStateAsync("s", Grain, read);

        Assert.True(read.RecordExists);
        Assert.Equal("two", read.State!.Text);
        Assert.Equal("2", read.ETag);
    }

    [Fact]
    public async Task AWriteFromAStaleVersion_IsRefused_AndChangesNothing()
    {
        var mine = new GrainState<Probe>(new Probe { Text = "mine" });
        await _storage.WriteStateAsync("s", Grain, mine);
        var theirs = new GrainState<Probe>(new Probe());
        await _storage.ReadStateAsync("s", Grain, theirs);
        theirs.State!.Text = "theirs";
        await _storage.WriteStateAsync("s", Grain, theirs);

        mine.State!.Text = "stale";
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("s", Grain, mine));
        var fresh = new GrainState<Probe>(new Probe { Text = "second first write" });
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("s", Grain, fresh));

        var read = new GrainState<Probe>(new Probe());
        await _storage.ReadStateAsync("s", Grain, read);
        Assert.Equal("theirs", read.State!.Text);
    }

    [Fact]
    public async Task ClearedState_ReadsAsAbsent_AndCanBeWrittenAgain()
    {
        var state = new GrainState<Probe>(new Probe { Text = "gone soon" });
        await _storage.WriteStateAsync("s", Grain, state);
        await _storage.ClearStateAsync("s", Grain, state);

        var read = new GrainState<Probe>(new Probe { Text = "left over" });
        await _storage.ReadStateAsync("s", Grain, read);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Null(read.State!.Text);

        state.State!.Text = "back";
        await _storage.WriteStateAsync("s", Grain, state);
        await _storage.ReadStateAsync("s", Grain, read);
        Assert.Equal("back", read.State!.Text);
    }

    public sealed class Probe
    {
        public string? Text { get; set; }
    }
}
