using Npgsql;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.PostgreSql;

/// <summary>The test fixture itself: a server of its own starts, serves databases, and leaves nothing behind.</summary>
public sealed class PostgresServerTests
{
    [Fact]
    public async Task OwnServer_ServesTheDatabasesItCreates_AndDisposeRemovesEverything()
    {
        var server = await PostgresServer.StartAsync();
        string folder;
        string connectionString;
        await using (server)
        {
            folder = server.Folder;
            connectionString = await server.CreateDatabaseAsync("fixture_check");

            await using (var connection = await PostgreSqlSchema.OpenAsync(connectionString))
            await using (var command = new NpgsqlCommand("SELECT current_database(), current_setting('fsync');", connection))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                Assert.True(await reader.ReadAsync());
                Assert.Equal("fixture_check", reader.GetString(0));
                Assert.Equal("off", reader.GetString(1));
            }

            await Assert.ThrowsAsync<ArgumentException>(() => server.CreateDatabaseAsync("Not A Name"));
            Assert.True(Directory.Exists(folder));
        }

        Assert.False(Directory.Exists(folder));
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 3 }.ConnectionString);
            await connection.OpenAsync();
        });
    }
}
