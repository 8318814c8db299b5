using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Grains.Storage;
using Webhooks.Grains.Storage.PostgreSql;

namespace Webhooks.Grains.Tests.PostgreSql;

/// <summary>The server's own data source prepares its statements and skips the pool's session reset, unless the operator's connection string decides.</summary>
public sealed class PostgreSqlDatabaseTests
{
    [Theory]
    [InlineData("Host=127.0.0.1;Database=webhooks", 16)]
    [InlineData("Host=127.0.0.1;Database=webhooks;Max Auto Prepare=5", 5)]
    public async Task DataSource_AutoPreparesStatements_UnlessTheConnectionStringSaysOtherwise(string connectionString, int expected)
    {
        await using var database = new PostgreSqlDatabase(Options.Create(new StorageOptions { Provider = StorageProvider.PostgreSql, ConnectionString = connectionString }));

        var used = new NpgsqlConnectionStringBuilder(database.DataSource.ConnectionString);
        Assert.Equal(expected, used.MaxAutoPrepare);
        Assert.Equal("webhooks", used.Database);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Database=webhooks", true)]
    [InlineData("Host=127.0.0.1;Database=webhooks;No Reset On Close=false", false)]
    [InlineData("Host=127.0.0.1;Database=webhooks;NoResetOnClose=false", false)]
    public async Task DataSource_KeepsSessionsAcrossPooledUses_UnlessTheConnectionStringSaysOtherwise(string connectionString, bool expected)
    {
        await using var database = new PostgreSqlDatabase(Options.Create(new StorageOptions { Provider = StorageProvider.PostgreSql, ConnectionString = connectionString }));

        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(database.DataSource.ConnectionString).NoResetOnClose);
    }
}
