using Microsoft.Extensions.DependencyInjection;
using Webhooks.Grains.Storage.PostgreSql;
using Webhooks.Grains.Tests.Retention;
using Xunit.Abstractions;

namespace Webhooks.Grains.Tests.PostgreSql;

/// <summary>
/// Production storage stays bounded: the events and delivery tables with their indexes and TOAST, measured after each
/// round's sweep. PostgreSQL reuses the space of deleted rows once a vacuum has seen them; autovacuum does that on its own
/// schedule (a minute apart by default), so the test runs the same plain VACUUM itself after each sweep.
/// </summary>
public sealed class PostgreSqlRetentionSoakTests(ITestOutputHelper output) : RetentionSoak(output)
{
    private const string Tables = "('webhooksdeliveries', 'webhooksevents')";

    [Fact]
    public async Task RoundsOfPublishing_LeaveTheTables_TheSameSize()
    {
        await using var cluster = await PostgreSqlWebhooksCluster.StartAsync(1, _ => { }, Configure);
        var database = cluster.Silos[0].ServiceProvider.GetRequiredService<PostgreSqlDatabase>().DataSource;

        async Task<long> ScalarAsync(string sql)
        {
            await using var command = database.CreateCommand(sql);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        await RunAsync(
            cluster.Grains,
            size: () => ScalarAsync($"SELECT SUM(pg_total_relation_size(c.oid)) FROM pg_class c WHERE c.relname IN {Tables};"),
            rows: () => ScalarAsync("SELECT (SELECT COUNT(*) FROM webhooksdeliveries) + (SELECT COUNT(*) FROM webhooksevents);"),
            afterSweep: async () =>
            {
                await using var vacuum = database.CreateCommand("VACUUM webhooksdeliveries, webhooksevents;");
                await vacuum.ExecuteNonQueryAsync();
            });
    }
}
