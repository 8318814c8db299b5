using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Webhooks.Server.Tests;

/// <summary>The server process keeps tenants and listeners across a stop, a kill, and a start, on the embedded SQLite store.</summary>
public sealed class RestartTests : IDisposable
{
    private readonly string _dataFolder = Directory.CreateTempSubdirectory("webhooks-restart-").FullName;

    [Fact]
    public async Task Listeners_AfterGracefulRestart_ReadBackUnchanged()
    {
        var (key, before) = await CreateListenersAsync();
        await AssertSameAfterAsync(key, before, server => server.StopAsync());
    }

    [Fact]
    public async Task Listeners_AfterKill9_AreAllThere()
    {
        var (key, before) = await CreateListenersAsync();
        await AssertSameAfterAsync(key, before, server => server.KillAsync());
    }

    [Fact]
    public async Task SecondStart_OnSameDatabase_LeavesSchemaUntouched()
    {
        await using (var first = await ServerProcess.StartAsync(_dataFolder))
        {
            await first.StopAsync();
        }

        var schemaBefore = ReadSchema();
        await using (var second = await ServerProcess.StartAsync(_dataFolder))
        {
            await second.StopAsync();
            Assert.DoesNotContain("Applied SQLite schema", second.Output, StringComparison.Ordinal);
        }

        Assert.Equal(schemaBefore, ReadSchema());
        Assert.Contains("user_version=9", schemaBefore, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataFolder, recursive: true);
    }

    private async Task<(string Key, string[] Listeners)> CreateListenersAsync()
    {
        await using var server = await ServerProcess.StartAsync(_dataFolder);
        using var platform = new ApiClient(server.Address, ApiClient.DevelopmentPlatformKey);
        var tenant = await platform.SendAsync(HttpMethod.Post, "api/v1/tenants", new { name = "Restart Ltd" }, HttpStatusCode.Created);
        var key = tenant.GetProperty("apiKey").GetString()!;
        using var client = new ApiClient(server.Address, key);

        var first = await client.SendAsync(HttpMethod.Post, "api/v1/account/webhooks",
            new { uri = "https://listener.example/one", subscriptions = new[] { "entitlement.created" } }, HttpStatusCode.Created);
        await client.SendAsync(HttpMethod.Post, "api/v1/account/webhooks",
            new { uri = "https://listener.example/two", subscriptions = new[] { "*" }, description = "all of it", signatures = new[] { "standard" } }, HttpStatusCode.Created);
        var doomed = await client.SendAsync(HttpMethod.Post, "api/v1/account/webhooks",
            new { uri = "https://listener.example/three", subscriptions = new[] { "customer.created" } }, HttpStatusCode.Created);
        await client.SendAsync(HttpMethod.Put, $"api/v1/account/webhooks/{first.GetProperty("id").GetString()}",
            new { uri = "https://listener.example/one-edited", subscriptions = new[] { "entitlement.seat.activated", "entitlement.created" }, signatures = new[] { "n-signature" } }, HttpStatusCode.NoContent);
        await client.SendAsync(HttpMethod.Delete, $"api/v1/account/webhooks/{doomed.GetProperty("id").GetString()}", null, HttpStatusCode.NoContent);

        return (key, await ReadListenersAsync(client));
    }

    private async Task AssertSameAfterAsync(string key, string[] before, Func<ServerProcess, Task> stop)
    {
        // CreateListenersAsync stopped its server by disposing it (a kill); run one more start/stop cycle the way the test asks.
        await using (var server = await ServerProcess.StartAsync(_dataFolder))
        {
            await stop(server);
        }

        await using var restarted = await ServerProcess.StartAsync(_dataFolder);
        using var client = new ApiClient(restarted.Address, key);
        var after = await ReadListenersAsync(client);

        Assert.Equal(2, after.Length);
        Assert.Equal(before, after);
        Assert.Contains("one-edited", after[0], StringComparison.Ordinal);
        Assert.Contains("entitlement.seat.activated", after[0], StringComparison.Ordinal);
        Assert.Contains("\"signatures\":[\"n-signature\"]", after[0], StringComparison.Ordinal); // the listener's choice is its grain's state
        Assert.Contains("\"signatures\":[\"standard\"]", after[1], StringComparison.Ordinal);
    }

    private static async Task<string[]> ReadListenersAsync(ApiClient client)
    {
        var list = await client.SendAsync(HttpMethod.Get, "api/v1/account/webhooks?pageSize=100", null, HttpStatusCode.OK);
        Assert.Equal(list.GetProperty("items").GetArrayLength(), list.GetProperty("elementsTotal").GetInt32());
        var listed = new List<string>();
        foreach (var item in list.GetProperty("items").EnumerateArray())
        {
            var one = await client.SendAsync(HttpMethod.Get, $"api/v1/account/webhooks/{item.GetProperty("id").GetString()}", null, HttpStatusCode.OK);
            Assert.Equal(item.GetRawText(), one.GetRawText());
            listed.Add(JsonSerializer.Serialize(one));
        }

        return [.. listed];
    }

    private string ReadSchema()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_dataFolder, "webhooks.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT 'user_version=' || (SELECT user_version FROM pragma_user_version)
            UNION ALL SELECT type || ':' || name || ':' || COALESCE(sql, '') FROM sqlite_master
            UNION ALL SELECT QueryKey || ':' || QueryText FROM OrleansQuery;
            """;
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines.Order(StringComparer.Ordinal));
    }
}
