using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.TestingHost;
using Webhooks.Grains.Storage;
using Webhooks.Grains.Storage.PostgreSql;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Grains.Tests.Reminders;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.PostgreSql;

/// <summary>
/// A two-silo in-process cluster whose grain state, reminders and membership all live in one PostgreSQL database
/// of its own, through the AdoNet providers (invariant <c>Npgsql</c>) and the project's scripts, which each silo's
/// <see cref="PostgreSqlSchemaInstaller"/> applies to the empty database as it starts.
/// </summary>
public sealed class PostgreSqlClusterFixture : IAsyncLifetime
{
    /// <summary>The grain storage provider the probe grain persists through.</summary>
    public const string StorageName = "pg";

    public const string Invariant = "Npgsql";

    /// <summary>Low enough for a test to see several ticks quickly; the Orleans default is one minute.</summary>
    public static readonly TimeSpan MinimumReminderPeriod = TimeSpan.FromMilliseconds(500);

    private InProcessTestCluster? _cluster;

    public string ConnectionString { get; private set; } = "";

    public string ServiceId { get; } = "pg-tests-" + Guid.NewGuid().ToString("N");

    public string ClusterId { get; } = InProcessTestClusterBuilder.CreateClusterId();

    public ReminderTicks Ticks { get; } = new();

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public IPostgreSqlProbeGrain Probe(string key) => Cluster.Client.GetGrain<IPostgreSqlProbeGrain>(key);

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.SharedAsync();
        // A session time zone far from UTC: a timestamp stored or read as local time would show up as hours off.
        ConnectionString = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync()) { Timezone = "America/Sao_Paulo" }.ConnectionString;

        var builder = new InProcessTestClusterBuilder(initialSilosCount: 2);
        builder.Options.ServiceId = ServiceId;
        builder.Options.ClusterId = ClusterId;
        builder.Options.ConfigureFileLogging = false;
        RealMembership.Use(builder.Options);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.Configure<StorageOptions>(o =>
            {
                o.Provider = StorageProvider.PostgreSql;
                o.ConnectionString = ConnectionString;
            });
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, PostgreSqlSchemaInstaller>();
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = ConnectionString;
            });
            silo.AddAdoNetGrainStorage(StorageName, o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = ConnectionString;
                o.GrainStorageSerializer = new JsonGrainStateSerializer();
            });
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = ConnectionString;
            });
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = MinimumReminderPeriod);
            silo.Services.AddSingleton(Ticks);
        });
        builder.ConfigureClient(client => client.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = ConnectionString;
        }));

        var cluster = await builder.BuildAndDeployAsync();

        _cluster = cluster;
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
    }
}
