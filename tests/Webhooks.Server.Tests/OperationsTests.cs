using System.Net;
using Webhooks.Testing;

namespace Webhooks.Server.Tests;

/// <summary>What an operator relies on: health probes, and logs that never carry a secret.</summary>
public sealed class OperationsTests : IDisposable
{
    private readonly string _dataFolder = Directory.CreateTempSubdirectory("webhooks-ops-").FullName;

    [Fact]
    public async Task HealthEndpoints_AnswerLiveAndReady()
    {
        await using var server = await ServerProcess.StartAsync(_dataFolder);
        using var http = new HttpClient { BaseAddress = server.Address };

        using var live = await http.GetAsync("health/live");
        using var ready = await http.GetAsync("health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Dashboard_OpensOnlyWithThePlatformKey()
    {
        await using var server = await ServerProcess.StartAsync(_dataFolder);
        var (_, tenant) = await ApiClient.CreateTenantAsync(server.Address, "Curious Ltd");
        using var http = new HttpClient { BaseAddress = server.Address };

        using var anonymous = await http.GetAsync("dashboard/");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains(anonymous.Headers.WwwAuthenticate, h => h.Scheme == "Basic");

        using var asTenant = new HttpRequestMessage(HttpMethod.Get, "dashboard/") { Headers = { { "Authorization", $"Bearer {tenant.Key}" } } };
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(asTenant)).StatusCode);

        var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("operator:" + ApiClient.DevelopmentPlatformKey));
        using var asPlatform = new HttpRequestMessage(HttpMethod.Get, "dashboard/") { Headers = { { "Authorization", $"Basic {basic}" } } };
        using var page = await http.SendAsync(asPlatform);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("html", (await page.Content.ReadAsStringAsync()).ToLowerInvariant(), StringComparison.Ordinal);
        tenant.Dispose();
    }

    [Fact]
    public async Task Logs_ThroughCreatePublishDeliverRotate_ContainNoSecret()
    {
        var platformKey = "platform-" + Guid.NewGuid().ToString("N");
        var listenerPort = FreePort.Next();
        await using var listener = await TestReceiver.StartAsync(listenerPort);
        await using var server = await ServerProcess.StartAsync(_dataFolder, new Dictionary<string, string>
        {
            ["Webhooks__Auth__PlatformKey"] = platformKey,
            ["Logging__LogLevel__Default"] = "Debug",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Debug",
            ["Logging__LogLevel__Orleans"] = "Information",
        });

        using var platform = new ApiClient(server.Address, platformKey);
        var tenant = await platform.SendAsync(HttpMethod.Post, "api/v1/tenants", new { name = "Secretive Inc" }, HttpStatusCode.Created);
        var apiKey = tenant.GetProperty("apiKey").GetString()!;
        using var client = new ApiClient(server.Address, apiKey);
        var created = await client.SendAsync(HttpMethod.Post, "api/v1/account/webhooks",
            new { uri = $"http://127.0.0.1:{listenerPort}/hook", subscriptions = new[] { "*" } }, HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();
        var firstSecret = created.GetProperty("secret").GetString()!;
        await client.SendAsync(HttpMethod.Post, "api/v1/events", new { eventCode = "customer.created", resourceId = "c_1" }, HttpStatusCode.Accepted);
        await listener.WaitForAsync(1, TimeSpan.FromSeconds(30));
        var rotated = await client.SendAsync(HttpMethod.Post, $"api/v1/account/webhooks/{id}/secret/rotate", null, HttpStatusCode.OK);
        var secondSecret = rotated.GetProperty("secret").GetString()!;
        await client.SendAsync(HttpMethod.Post, "api/v1/events", new { eventCode = "customer.updated", resourceId = "c_1" }, HttpStatusCode.Accepted);
        await listener.WaitForAsync(2, TimeSpan.FromSeconds(30));
        using (var wrong = new ApiClient(server.Address, apiKey + "x"))
        {
            await wrong.SendAsync(HttpMethod.Get, "api/v1/account/webhooks", null, HttpStatusCode.Unauthorized);
        }

        await server.StopAsync();

        var logs = server.Output;
        Assert.Contains("Now listening on", logs, StringComparison.Ordinal);
        Assert.Contains("/api/v1/events", logs, StringComparison.Ordinal);
        foreach (var secret in new[] { platformKey, apiKey, apiKey.Split('.')[^1], firstSecret, secondSecret, firstSecret["whsec_".Length..], secondSecret["whsec_".Length..] })
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataFolder, recursive: true);
    }
}
