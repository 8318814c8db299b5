using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Webhooks.Abstractions.Listeners;
using Webhooks.Abstractions.Routing;
using Webhooks.Abstractions.Tenants;
using Webhooks.Grains.Hosting;

namespace Webhooks.Grains.Tests.Infrastructure;

/// <summary>
/// A one-silo in-process cluster with the real SQLite storage of a <see cref="TestDeployment"/>, behind the
/// fault-injecting decorator (which does nothing until armed).
/// </summary>
internal sealed class WebhooksCluster : IAsyncDisposable
{
    private static readonly TimeSpan DeactivationLimit = TimeSpan.FromSeconds(60);

    private readonly InProcessTestCluster _cluster;

    private WebhooksCluster(InProcessTestCluster cluster, StorageFaults faults)
    {
        _cluster = cluster;
        Faults = faults;
    }

    public StorageFaults Faults { get; }

    public IGrainFactory Grains => _cluster.Client;

    /// <summary>The silo's services: the product's own, as it resolves them.</summary>
    public IServiceProvider SiloServices => _cluster.Silos[0].ServiceProvider;

    public IEventRouterGrain Router(string tenantId) => Grains.GetGrain<IEventRouterGrain>(tenantId);

    public IListenerGrain Listener(string listenerId) => Grains.GetGrain<IListenerGrain>(listenerId);

    public ITenantGrain Tenant(string tenantId) => Grains.GetGrain<ITenantGrain>(tenantId);

    /// <summary>
    /// Starts the cluster; <paramref name="configureSilo"/> runs after the product's registration, so it can override
    /// it, and <paramref name="configureHost"/> before it, as a platform's own silo configuration would.
    /// </summary>
    public static async Task<WebhooksCluster> StartAsync(TestDeployment deployment, Action<ISiloBuilder>? configureSilo = null, Action<ISiloBuilder>? configureHost = null)
    {
        var faults = new StorageFaults();
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.Options.ServiceId = deployment.ServiceId;
        builder.Options.ClusterId = deployment.ClusterId;
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            configureHost?.Invoke(silo);
            silo.AddWebhooks(storage => storage.ConnectionString = deployment.ConnectionString)
                .InjectStorageFaults(faults);
            silo.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(deployment.KeysFolder));
            configureSilo?.Invoke(silo);
        });

        var cluster = await builder.BuildAndDeployAsync();

        return new WebhooksCluster(cluster, faults);
    }

    /// <summary>Deactivates the grain's activation, if it has one, and waits until it is gone.</summary>
    public async Task DeactivateAsync(IAddressable grain)
    {
        // Deactivation waits for the calls the activation is running, and Orleans gives up on a stuck one only
        // after hours; a call that never returns fails the test here instead.
        try
        {
            await _cluster.DeactivateAsync(grain).WaitAsync(DeactivationLimit);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{grain.GetGrainId()} was still deactivating {DeactivationLimit.TotalSeconds} s later: a call it runs has not returned.");
        }

        Assert.False(IsActive(grain), $"{grain.GetGrainId()} is still active.");
    }

    public bool IsActive(IAddressable grain) => _cluster.TryGetGrainContext(grain.GetGrainId(), out _);

    /// <summary>
    /// Kills the client and the silo without a graceful shutdown. Calls frozen by <see cref="StorageFaults"/>
    /// never complete, so whatever the silo was doing never reaches the database.
    /// </summary>
    public async Task CrashAsync()
    {
        await _cluster.KillClientAsync();
        foreach (var silo in _cluster.Silos)
        {
            await _cluster.KillSiloAsync(silo);
        }

        await _cluster.DisposeAsync();
    }

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();
}
