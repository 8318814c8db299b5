using System.Net;
using Webhooks.Testing;

namespace Webhooks.Server.Tests;

/// <summary>
/// A deleted tenant leaves nothing behind, on either store: after <c>DELETE api/v1/tenants/{id}</c> has run its course,
/// no row of any table holds the tenant's id, its listeners' ids or its events' ids, while another tenant's data is
/// all still there. The tables are read from the database's catalogue, so a table added later is checked too.
/// </summary>
public sealed class TenantDeletionProcessTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly string _dataFolder = Directory.CreateTempSubdirectory("webhooks-tenant-deletion-").FullName;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DeletedTenant_LeavesNoRowInAnyTable_AndAnotherTenantKeepsAll(bool postgreSql)
    {
        var settings = new Dictionary<string, string>(ServerSettings.FastRetries);
        var connectionString = $"Data Source={Path.Combine(_dataFolder, "webhooks.db")}";
        if (postgreSql)
        {
            foreach (var (key, value) in await ServerSettings.PostgreSqlClusterAsync(_dataFolder))
            {
                settings[key] = value;
            }

            connectionString = settings["ConnectionStrings__Webhooks"];
        }

        var listenerPort = FreePort.Next();
        await using var listener = await TestReceiver.StartAsync(listenerPort);
        await using var server = await ServerProcess.StartAsync(_dataFolder, settings);
        var leaving = await PopulateAsync(server.Address, "Leaving", $"http://127.0.0.1:{listenerPort}/hook", events: 5);
        var staying = await PopulateAsync(server.Address, "Staying", $"http://127.0.0.1:{listenerPort}/hook", events: 2);
        await listener.WaitForAsync(5 + 2, Patience);

        // The checks below can fail: before the deletion, every kind of table that can hold a tenant's rows holds some.
        var before = EveryTable.RowsHolding(await EveryTable.ReadAsync(postgreSql, connectionString), leaving.Needles);
        Assert.Contains(postgreSql ? "OrleansStorage" : "WebhooksGrainState", before.Keys, StringComparer.OrdinalIgnoreCase);
        // On SQLite a running server appends its delivery rows to a journal first, and keeps a publish's outcome apart.
        Assert.Contains(postgreSql ? "WebhooksDeliveries" : "WebhooksDeliveryJournal", before.Keys, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("WebhooksEvents", before.Keys, StringComparer.OrdinalIgnoreCase);
        if (!postgreSql)
        {
            Assert.Contains("WebhooksEventOutcomes", before.Keys, StringComparer.OrdinalIgnoreCase);
        }

        Assert.Contains("WebhooksWakeUps", before.Keys, StringComparer.OrdinalIgnoreCase);

        using var platform = new ApiClient(server.Address, ApiClient.DevelopmentPlatformKey);
        var accepted = await platform.SendAsync(HttpMethod.Delete, $"api/v1/tenants/{leaving.TenantId}", null, HttpStatusCode.Accepted);
        Assert.Equal("deleting", accepted.GetProperty("status").GetString());
        await WaitUntilGoneAsync(platform, leaving.TenantId);

        var tables = await EveryTable.ReadAsync(postgreSql, connectionString);
        var unknown = tables.Keys.Where(t => !EveryTable.Known.ContainsKey(t)).ToList();
        Assert.True(unknown.Count == 0, $"Tables nobody said how to check for a tenant's rows: {string.Join(", ", unknown)}.");
        Assert.Empty(EveryTable.RowsHolding(tables, leaving.Needles));
        var kept = EveryTable.RowsHolding(tables, staying.Needles);
        foreach (var table in new[] { "WebhooksDeliveries", "WebhooksEvents", postgreSql ? "OrleansStorage" : "WebhooksGrainState" })
        {
            Assert.Contains(table, kept.Keys, StringComparer.OrdinalIgnoreCase);
        }

        var stillServing = await staying.Client.SendAsync(HttpMethod.Get, "api/v1/account/webhooks", null, HttpStatusCode.OK);
        Assert.Equal(2, stillServing.GetProperty("elementsTotal").GetInt32());
        staying.Client.Dispose();
        leaving.Client.Dispose();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A killed server may still hold a file for a moment; the folder is in the temp directory either way.
        }
    }

    /// <summary>
    /// A tenant with every kind of data: a second key, a listener that delivers, one that cannot be reached (pending
    /// deliveries and a row on the wake-up list), one deleted (its tombstone), and accepted events with ids of the test's own.
    /// </summary>
    private static async Task<PopulatedTenant> PopulateAsync(Uri address, string name, string reachable, int events)
    {
        var (tenantId, client) = await ApiClient.CreateTenantAsync(address, name);
        using var platform = new ApiClient(address, ApiClient.DevelopmentPlatformKey);
        await platform.SendAsync(HttpMethod.Post, $"api/v1/tenants/{tenantId}/keys", new { name = "second" }, HttpStatusCode.Created);
        var unreachable = $"http://127.0.0.1:{FreePort.Next()}/hook";
        var listeners = new List<string>();
        foreach (var (uri, codes) in new[] { (reachable, "entitlement.created"), (unreachable, "entitlement.created"), (reachable, "customer.created") })
        {
            var created = await client.SendAsync(HttpMethod.Post, "api/v1/account/webhooks", new { uri, subscriptions = new[] { codes } }, HttpStatusCode.Created);
            listeners.Add(created.GetProperty("id").GetString()!);
        }

        await client.SendAsync(HttpMethod.Delete, $"api/v1/account/webhooks/{listeners[^1]}", null, HttpStatusCode.NoContent);
        await client.SendAsync(HttpMethod.Get, "api/v1/account/credentials", null, HttpStatusCode.OK);
        var eventIds = Enumerable.Range(0, events).Select(i => $"evt_{name}_{Guid.NewGuid():N}").ToList();
        foreach (var eventId in eventIds)
        {
            await client.SendAsync(HttpMethod.Post, "api/v1/events", new { eventId, eventCode = "entitlement.created", resourceId = "ent_1" }, HttpStatusCode.Accepted);
        }

        await WaitUntilAttemptedAsync(client, listeners[1], events);
        return new PopulatedTenant(tenantId, client, [tenantId, .. listeners, .. eventIds]);
    }

    /// <summary>Waits until the unreachable listener has tried every event once, so its failures and wake-up row are stored.</summary>
    private static async Task WaitUntilAttemptedAsync(ApiClient client, string listenerId, int events)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (true)
        {
            var log = await client.SendAsync(HttpMethod.Get, $"api/v1/account/webhooks/{listenerId}/deliveries", null, HttpStatusCode.OK);
            var items = log.GetProperty("items").EnumerateArray().ToList();
            if (items.Count == events && items.All(d => d.GetProperty("attempts").GetArrayLength() >= 1))
            {
                return;
            }

            await Task.Delay(50, deadline.Token);
        }
    }

    private static async Task WaitUntilGoneAsync(ApiClient platform, string tenantId)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (true)
        {
            var (status, body) = await platform.SendForStatusAsync(HttpMethod.Get, $"api/v1/tenants/{tenantId}", null);
            if (status == HttpStatusCode.NotFound)
            {
                return;
            }

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("\"deleting\"", body, StringComparison.Ordinal);
            await Task.Delay(100, deadline.Token);
        }
    }

    private sealed record PopulatedTenant(string TenantId, ApiClient Client, IReadOnlyList<string> Needles);
}
