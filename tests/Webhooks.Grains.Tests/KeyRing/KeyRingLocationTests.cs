using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.TestingHost;
using Webhooks.Abstractions;
using Webhooks.Grains.Hosting;
using Webhooks.Grains.KeyRing;
using Webhooks.Grains.Tests.Infrastructure;

namespace Webhooks.Grains.Tests.KeyRing;

/// <summary>
/// Outside Development a silo with the dispatcher starts only with somewhere to keep the Data Protection key ring (or
/// a provider of the host's own), never on the framework's per-machine fallback; in Development the fallback still does.
/// </summary>
public sealed class KeyRingLocationTests
{
    [Fact]
    public async Task Silo_OutsideDevelopment_WithoutAKeyRingLocation_RefusesToStart_SayingWhatToConfigure()
    {
        using var deployment = new TestDeployment();

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(deployment, Environments.Production));

        var all = Flatten(refused).Select(e => e.Message);
        Assert.Contains(KeyRingLocationCheck.Problem, all);
    }

    [Fact]
    public async Task Silo_OutsideDevelopment_WithAKeyRingLocation_Starts()
    {
        using var deployment = new TestDeployment();

        await using var cluster = await StartAsync(deployment, Environments.Production,
            services => services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(deployment.KeysFolder)));

        Assert.NotNull(await cluster.Client.GetGrain<Webhooks.Abstractions.Tenants.ITenantGrain>(ResourceIds.NewTenantId()).CreateAsync("Keyed Ltd"));
    }

    [Fact]
    public async Task Silo_OutsideDevelopment_WithTheHostsOwnProtectionProvider_Starts()
    {
        using var deployment = new TestDeployment();

        await using var cluster = await StartAsync(deployment, Environments.Production,
            services => services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProviderOfTheHost()));

        Assert.NotNull(await cluster.Client.GetGrain<Webhooks.Abstractions.Tenants.ITenantGrain>(ResourceIds.NewTenantId()).CreateAsync("Hosted Ltd"));
    }

    [Fact]
    public async Task Silo_InDevelopment_WithoutAKeyRingLocation_Starts()
    {
        using var deployment = new TestDeployment();

        await using var cluster = await StartAsync(deployment, Environments.Development);

        Assert.NotNull(await cluster.Client.GetGrain<Webhooks.Abstractions.Tenants.ITenantGrain>(ResourceIds.NewTenantId()).CreateAsync("Local Ltd"));
    }

    private static Task<InProcessTestCluster> StartAsync(TestDeployment deployment, string environment, Action<IServiceCollection>? configure = null)
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.Options.ServiceId = deployment.ServiceId;
        builder.Options.ClusterId = deployment.ClusterId;
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) => host.Environment.EnvironmentName = environment);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddWebhooks(storage => storage.ConnectionString = deployment.ConnectionString);
            configure?.Invoke(silo.Services);
        });
        return builder.BuildAndDeployAsync();
    }

    private static IEnumerable<Exception> Flatten(Exception exception) =>
        exception is AggregateException aggregate
            ? [aggregate, .. aggregate.InnerExceptions.SelectMany(Flatten)]
            : exception.InnerException is { } inner ? [exception, .. Flatten(inner)] : [exception];

    /// <summary>A provider of the host's own (from outside the framework's assembly), here keeping its keys in memory.</summary>
    private sealed class EphemeralDataProtectionProviderOfTheHost : IDataProtectionProvider
    {
        private readonly EphemeralDataProtectionProvider _inner = new();

        public IDataProtector CreateProtector(string purpose) => _inner.CreateProtector(purpose);
    }
}
