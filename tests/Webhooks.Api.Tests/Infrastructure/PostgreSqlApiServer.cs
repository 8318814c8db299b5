using Webhooks.Testing;

namespace Webhooks.Api.Tests.Infrastructure;

/// <summary>The real server in PostgreSQL mode, on a fresh database of the test process's throw-away PostgreSQL.</summary>
public sealed class PostgreSqlApiServer : ApiServer, IAsyncLifetime
{
    /// <summary>The database the server stores everything in, for a test that must look at it or hold a transaction in it.</summary>
    public string ConnectionString { get; private set; } = "";

    async Task IAsyncLifetime.InitializeAsync()
    {
        ConnectionString = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        await InitializeAsync();
    }

    protected override IEnumerable<KeyValuePair<string, string>> AdditionalSettings() =>
    [
        KeyValuePair.Create("Webhooks:Storage:Provider", "PostgreSql"),
        KeyValuePair.Create("ConnectionStrings:Webhooks", ConnectionString),
        KeyValuePair.Create("Webhooks:Cluster:AdvertisedAddress", "127.0.0.1"),
    ];
}
