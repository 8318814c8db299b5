using Webhooks.Grains.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Webhooks.Grains.Tests.Retention;

/// <summary>The embedded store stays bounded: the SQLite file and its write-ahead log, measured after each round's sweep and a checkpoint.</summary>
public sealed class RetentionSoakTests(ITestOutputHelper output) : RetentionSoak(output)
{
    [Fact]
    public async Task RoundsOfPublishing_LeaveTheDatabaseFile_TheSameSize()
    {
        using var deployment = new TestDeployment();
        await using var cluster = await WebhooksCluster.StartAsync(deployment, Configure);

        await RunAsync(
            cluster.Grains,
            size: () => Task.FromResult(CheckpointedSize(deployment)),
            rows: () =>
            {
                using var connection = deployment.OpenDatabase();
                using var count = connection.CreateCommand();
                count.CommandText = "SELECT (SELECT COUNT(*) FROM WebhooksDeliveries) + (SELECT COUNT(*) FROM WebhooksEvents);";
                return Task.FromResult((long)count.ExecuteScalar()!);
            });
    }

    /// <summary>
    /// The file and its WAL after a checkpoint that empties the WAL: the writer checkpoints only every 10,000 pages (about
    /// 40 MB of WAL, reused from its start after each checkpoint), so without one the WAL would still be filling up
    /// here; what must level off is what the data takes.
    /// </summary>
    private static long CheckpointedSize(TestDeployment deployment)
    {
        using (var connection = deployment.OpenDatabase())
        {
            using var wait = connection.CreateCommand();
            wait.CommandText = "PRAGMA busy_timeout = 30000;";
            wait.ExecuteNonQuery();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);"; // one row: busy (0 when it completed), pages, pages copied
            using var result = checkpoint.ExecuteReader();
            Assert.True(result.Read() && result.GetInt64(0) == 0, "The checkpoint could not complete.");
        }

        return Length(deployment.DatabasePath) + Length(deployment.DatabasePath + "-wal");
    }

    private static long Length(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
