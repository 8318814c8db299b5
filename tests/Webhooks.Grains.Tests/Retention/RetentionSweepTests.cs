using Microsoft.Extensions.DependencyInjection;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Tests.Infrastructure;

namespace Webhooks.Grains.Tests.Retention;

/// <summary>Retention on the embedded store: a real SQLite file, the silo's own sweeper, days on a fake clock.</summary>
public sealed class RetentionSweepTests : RetentionScenario
{
    [Fact]
    public async Task Sweeps_RemoveEachKindAtItsOwnAge_AndNeverWhatAPendingDeliveryNeeds()
    {
        using var deployment = new TestDeployment();
        var clock = NewClock();
        await using var cluster = await WebhooksCluster.StartAsync(deployment, silo =>
        {
            silo.Services.PostConfigure<DeliveryOptions>(Configure);
            ConfigureSilo(silo, clock);
        });

        await RunAsync(cluster.Grains, cluster.SiloServices, clock);
    }
}
