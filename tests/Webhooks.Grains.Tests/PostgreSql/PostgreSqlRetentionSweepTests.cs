using Webhooks.Grains.Tests.Retention;

namespace Webhooks.Grains.Tests.PostgreSql;

/// <summary>Retention in production mode: a real PostgreSQL database, the silo's own sweeper, days on a fake clock.</summary>
public sealed class PostgreSqlRetentionSweepTests : RetentionScenario
{
    [Fact]
    public async Task Sweeps_RemoveEachKindAtItsOwnAge_AndNeverWhatAPendingDeliveryNeeds()
    {
        var clock = NewClock();
        await using var cluster = await PostgreSqlWebhooksCluster.StartAsync(1, Configure, silo => ConfigureSilo(silo, clock));

        await RunAsync(cluster.Grains, cluster.Silos[0].ServiceProvider, clock);
    }
}
