using Webhooks.Grains.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Webhooks.Grains.Tests.Retention;

/// <summary>The embedded store stays bounded: the SQLite file and its write-ahead log, measured after each round's sweep.</summary>
public sealed class RetentionSoakTests(ITestOutputHelper output) : RetentionSoak(output)
{
    [Fact]
    public async Task RoundsOfPublishing_LeaveTheDatabaseFile_TheSameSize()
    {
        using var deployment = new TestDeployment();
        await using var cluster = await WebhooksCluster.StartAsync(deployment, Configure);

        await RunAsync(
            cluster.Grains,
            size: () => Task.FromResult(Length(deployment.DatabasePath) + Length(deployment.DatabasePath + "-wal")),
            rows: () =>
            {
                using var connection = deployment.OpenDatabase();
                using var count = connection.CreateCommand();
                count.CommandText = "SELECT (SELECT COUNT(*) FROM WebhooksDeliveries) + (SELECT COUNT(*) FROM WebhooksEvents);";
                return Task.FromResult((long)count.ExecuteScalar()!);
            });
    }

    private static long Length(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
