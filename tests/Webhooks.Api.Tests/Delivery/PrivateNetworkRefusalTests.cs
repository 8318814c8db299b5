using System.Net;
using Webhooks.Api.Tests.Infrastructure;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>With private networks not allowed, a listener on loopback is refused at send time, recorded as a failed attempt, and never reached.</summary>
public sealed class PrivateNetworkRefusalTests(PrivateNetworksRefusedServer server) : ApiTest(server), IClassFixture<PrivateNetworksRefusedServer>
{
    [Fact]
    public async Task Publish_ToALoopbackListener_IsRefusedAndRecorded_AndNothingReachesIt()
    {
        await using var listener = await ScriptedListener.StartAsync();
        var endpoint = listener.Endpoint();
        Assert.Equal("127.0.0.1", endpoint.Uri.Host);
        var tenant = await Server.CreateTenantAsync("Internal");
        var id = (await tenant.Client.CreateListenerAsync(endpoint.Uri.ToString(), "*")).String("id");

        var (eventId, matched) = await tenant.Client.PublishAsync("entitlement.created");
        using var test = await tenant.Client.PostAsync($"{Route}/{id}/test", null);

        Assert.Equal(1, matched);
        Assert.Equal(HttpStatusCode.NoContent, test.StatusCode);
        var failed = await tenant.Client.WaitForStatusAsync(id, eventId, "failed");
        Assert.Equal(DeliveryServer.Schedule.Length + 1, failed.Attempts().Length);
        Assert.All(failed.Attempts(), attempt =>
        {
            Assert.Null(attempt.StatusCode());
            Assert.Contains("refused", attempt.String("error"), StringComparison.Ordinal);
            Assert.Contains("127.0.0.1", attempt.String("error"), StringComparison.Ordinal);
        });
        var testEvent = (await tenant.Client.DeliveriesAsync(id)).GetProperty("items").EnumerateArray()
            .Single(d => d.String("eventCode") == "webhook.test").String("eventId");
        var testFailed = await tenant.Client.WaitForStatusAsync(id, testEvent, "failed");
        Assert.Contains("refused", Assert.Single(testFailed.Attempts()).String("error"), StringComparison.Ordinal);
        Assert.Empty(endpoint.Received);
    }
}
