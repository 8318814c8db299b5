using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Webhooks.Api.Tests.Delivery;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Testing;
using static Webhooks.Api.Tests.Infrastructure.Problems;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Tenants;

/// <summary>
/// <c>DELETE api/v1/tenants/{id}</c>: the tenant stops at once (keys, publishes, deliveries) and its data goes in the
/// background, while <c>GET</c> says <c>deleting</c>; then it is a 404.
/// </summary>
public sealed class TenantDeletionTests(DeliveryServer server) : ApiTest(server), IClassFixture<DeliveryServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Delete_WithThePlatformKey_Answers202Deleting_ThenTheTenantIs404()
    {
        var tenant = await Server.CreateTenantAsync("Leaving");
        await tenant.Client.CreateListenerAsync();
        await tenant.Client.PublishAsync("entitlement.created");

        using var response = await Server.Platform.DeleteAsync($"api/v1/tenants/{tenant.Id}");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/api/v1/tenants/{tenant.Id}", response.Headers.Location?.OriginalString);
        var body = await Json.ReadObjectAsync(response);
        Assert.Equal(tenant.Id, body.String("id"));
        Assert.Equal("Leaving", body.String("name"));
        Assert.Equal("deleting", body.String("status"));
        await WaitUntilGoneAsync(tenant.Id);
    }

    [Fact]
    public async Task Delete_FromTheAnswerOn_EveryKeyIs401_AndNothingIsPublishedOrChanged()
    {
        var tenant = await Server.CreateTenantAsync("Keys");
        using var created = await Server.Platform.PostAsJsonAsync($"api/v1/tenants/{tenant.Id}/keys", new { name = "second" });
        using var second = Server.CreateClient((await Json.ReadObjectAsync(created)).String("apiKey"));
        using var platform = Server.CreateClient(ApiServer.PlatformKey, tenant.Id);
        var listener = (await tenant.Client.CreateListenerAsync()).String("id");

        using (var deleted = await Server.Platform.DeleteAsync($"api/v1/tenants/{tenant.Id}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        }

        foreach (var client in new[] { tenant.Client, second })
        {
            using var list = await client.GetAsync(Route);
            await AssertProblemAsync(list, HttpStatusCode.Unauthorized);
            using var publish = await client.PostAsync("api/v1/events", Json.Raw("""{"eventCode":"entitlement.created"}"""));
            await AssertProblemAsync(publish, HttpStatusCode.Unauthorized);
        }

        // The platform acting for the tenant finds it gone, whether its data is still being removed or not.
        using (var publish = await platform.PostAsync("api/v1/events", Json.Raw("""{"eventCode":"entitlement.created"}""")))
        {
            await AssertProblemAsync(publish, HttpStatusCode.NotFound, "TenantNotFound");
        }

        using (var create = await platform.PostAsync(Route, Body("https://hooks.example.com/late", "*")))
        {
            await AssertProblemAsync(create, HttpStatusCode.NotFound, "TenantNotFound");
        }

        using (var get = await platform.GetAsync($"{Route}/{listener}"))
        {
            await AssertProblemAsync(get, HttpStatusCode.NotFound, "TenantNotFound");
        }

        using (var key = await Server.Platform.PostAsJsonAsync($"api/v1/tenants/{tenant.Id}/keys", new { name = "late" }))
        {
            await AssertProblemAsync(key, HttpStatusCode.NotFound);
        }

        await WaitUntilGoneAsync(tenant.Id);
    }

    [Fact]
    public async Task Delete_Repeated_IsAcceptedAgainUntilDone_ThenIs404()
    {
        var tenant = await Server.CreateTenantAsync("Twice");
        for (var i = 0; i < 5; i++)
        {
            await tenant.Client.CreateListenerAsync();
        }

        using var first = await Server.Platform.DeleteAsync($"api/v1/tenants/{tenant.Id}");
        using var again = await Server.Platform.DeleteAsync($"api/v1/tenants/{tenant.Id}");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        if (again.StatusCode == HttpStatusCode.Accepted)
        {
            Assert.Equal("deleting", (await Json.ReadObjectAsync(again)).String("status"));
        }
        else
        {
            await AssertProblemAsync(again, HttpStatusCode.NotFound); // the removal was already done
        }

        await WaitUntilGoneAsync(tenant.Id);
        using var afterwards = await Server.Platform.DeleteAsync($"api/v1/tenants/{tenant.Id}");
        await AssertProblemAsync(afterwards, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("t_AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("t_x")]
    [InlineData("wh_AAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Delete_OfAnUnknownTenant_Is404(string tenantId)
    {
        using var response = await Server.Platform.DeleteAsync($"api/v1/tenants/{tenantId}");

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_WithATenantKey_Is403_AndTheTenantStays()
    {
        var tenant = await Server.CreateTenantAsync("Stays");

        using var response = await tenant.Client.DeleteAsync($"api/v1/tenants/{tenant.Id}");

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal("active", (await GetTenantAsync(tenant.Id))!.Value.String("status"));
        await tenant.Client.ListAsync();
    }

    [Fact]
    public async Task Delete_OfATenantWithABacklog_NoAttemptStartsAfterTheAnswer()
    {
        const int Backlog = 90;
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint(503); // every attempt fails, so the backlog keeps the listener busy with retries
        var tenant = await Server.CreateTenantAsync("Backlog");
        await tenant.Client.CreateListenerAsync(endpoint.Uri.ToString(), "*");
        // Fewer than the tenant key's burst (100 requests, the listener's creation included): published as fast as a
        // quiet machine can, more would meet the key's rate limit (429) and fail the test for the wrong reason.
        for (var i = 0; i < Backlog; i++)
        {
            await tenant.Client.PublishAsync("entitlement.created", $"ent_{i}");
        }

        await endpoint.WaitForCountAsync(20);
        using (var deleted = await Server.Platform.DeleteAsync($"api/v1/tenants/{tenant.Id}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        }

        var atAnswer = endpoint.Received.Count;

        // Proving a negative takes a wait: the backlog's events, each retried after 200 ms and 1.5 s, would have
        // kept arriving all through it. The only requests allowed after the answer are attempts already on the wire
        // when it was given, at most the listener's concurrency (4).
        await Task.Delay(TimeSpan.FromSeconds(2));
        var after = endpoint.Received.Count;
        Assert.True(after - atAnswer <= 4, $"{after - atAnswer} requests reached the listener after the DELETE answered.");
        Assert.True(atAnswer < Backlog * 3, "The backlog had drained before the deletion; the test proves nothing.");
        await WaitUntilGoneAsync(tenant.Id);
        Assert.Equal(after, endpoint.Received.Count);
    }

    private async Task<JsonElement?> GetTenantAsync(string tenantId)
    {
        using var response = await Server.Platform.GetAsync($"api/v1/tenants/{tenantId}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            await AssertProblemAsync(response, HttpStatusCode.NotFound);
            return null;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json.ReadObjectAsync(response);
    }

    /// <summary>Polls the tenant until it is a 404; while it is not, it must say <c>deleting</c>.</summary>
    private async Task WaitUntilGoneAsync(string tenantId)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (await GetTenantAsync(tenantId) is { } tenant)
        {
            Assert.Equal("deleting", tenant.String("status"));
            await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
        }
    }
}
