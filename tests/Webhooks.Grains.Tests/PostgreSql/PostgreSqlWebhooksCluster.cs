using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Storage;
using Orleans.TestingHost;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Delivery.Log;
using Webhooks.Grains.Hosting;
using Webhooks.Grains.Storage;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.PostgreSql;

/// <summary>
/// Several in-process silos wired as production runs them: the product's own registration
/// (<see cref="WebhooksSiloBuilderExtensions.AddWebhooks"/>) on a PostgreSQL database of their own, AdoNet
/// membership, one shared Data Protection key ring, and failure detection short enough that a killed silo is
/// declared dead within seconds rather than the default minute or so.
/// </summary>
internal sealed class PostgreSqlWebhooksCluster : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;
    private readonly string _keysFolder;

    private PostgreSqlWebhooksCluster(InProcessTestCluster cluster, string keysFolder)
    {
        _cluster = cluster;
        _keysFolder = keysFolder;
    }

    public IGrainFactory Grains => _cluster.Client;

    public IReadOnlyList<InProcessSiloHandle> Silos => _cluster.Silos;

    /// <summary>
    /// Starts <paramref name="silos"/> silos; <paramref name="configureDelivery"/> adjusts the product's delivery options,
    /// and <paramref name="configureSilo"/> runs after the product's registration, so it can override it.
    /// </summary>
    public static async Task<PostgreSqlWebhooksCluster> StartAsync(short silos, Action<DeliveryOptions> configureDelivery, Action<ISiloBuilder>? configureSilo = null)
    {
        var connectionString = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        var keysFolder = Directory.CreateTempSubdirectory("webhooks-pg-keys-").FullName;
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ServiceId = "pg-webhooks-" + Guid.NewGuid().ToString("N");
        builder.Options.ClusterId = InProcessTestClusterBuilder.CreateClusterId();
        builder.Options.ConfigureFileLogging = false;
        RealMembership.Use(builder.Options);
        builder.ConfigureSilo((_, silo) =>
        {
            var faults = new StorageFaults();
            silo.Services.AddSingleton(faults);
            silo.AddWebhooks(storage =>
            {
                storage.Provider = StorageProvider.PostgreSql;
                storage.ConnectionString = connectionString;
            }).InjectStorageFaults(faults);
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = StorageConnections.Invariant(StorageProvider.PostgreSql);
                o.ConnectionString = connectionString;
            });
            silo.Configure<ClusterMembershipOptions>(DetectDeathQuickly);

            // Every silo must open what another protected (tenant keys, listener secrets), as every server of a deployment does.
            silo.Services.AddDataProtection().SetApplicationName("Webhooks.Orleans").PersistKeysToFileSystem(new DirectoryInfo(keysFolder));
            silo.Services.PostConfigure(configureDelivery);
            configureSilo?.Invoke(silo);
        });
        builder.ConfigureClient(client =>
        {
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = StorageConnections.Invariant(StorageProvider.PostgreSql);
                o.ConnectionString = connectionString;
            });
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
        });

        var cluster = await builder.BuildAndDeployAsync();

        return new PostgreSqlWebhooksCluster(cluster, keysFolder);
    }

    /// <summary>The silo that hosts <paramref name="grain"/>'s activation, activating it if need be.</summary>
    public async Task<InProcessSiloHandle> HostOfAsync(IAddressable grain)
    {
        var address = await Grains.GetGrain<IManagementGrain>(0).GetActivationAddress(grain);
        Assert.NotNull(address);
        return _cluster.GetSiloForAddress(address) ?? throw new InvalidOperationException($"No silo of this cluster is at {address}.");
    }

    /// <summary>
    /// Kills the silo without a graceful shutdown. First its grain storage freezes, so no write it has not finished
    /// (nor any later one, from work still running in this process) ever reaches the database, as when a process dies.
    /// </summary>
    public async Task KillAsync(InProcessSiloHandle silo)
    {
        silo.ServiceProvider.GetRequiredService<StorageFaults>().CrashOn(_ => true);
        await _cluster.KillSiloAsync(silo);
    }

    /// <summary>The product's grain storage, as <paramref name="silo"/> reads it from the database.</summary>
    public static IGrainStorage Storage(InProcessSiloHandle silo) =>
        silo.ServiceProvider.GetRequiredKeyedService<IGrainStorage>(WebhooksStorage.ProviderName);

    /// <summary>The delivery log as <paramref name="silo"/> reads it from the database.</summary>
    public static IDeliveryLog DeliveryLog(InProcessSiloHandle silo) => silo.ServiceProvider.GetRequiredService<IDeliveryLog>();

    public async ValueTask DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        Directory.Delete(_keysFolder, recursive: true);
    }

    private static void DetectDeathQuickly(ClusterMembershipOptions o)
    {
        o.ProbeTimeout = TimeSpan.FromSeconds(1);
        o.NumMissedProbesLimit = 2;
        o.NumProbedSilos = 2;
        o.NumVotesForDeathDeclaration = 2;
        o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
        o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
        o.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(10);
    }
}
