using System.Net;
using System.Text.Json;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Testing;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>The Test button: a webhook.test event for that listener only, with no payload, attempted once and never retried.</summary>
public sealed class TestEventTests(DeliveryServer server) : ApiTest(server), IClassFixture<DeliveryServer>
{
    [Fact]
    public async Task Test_Returns204_AndTheListenerReceivesTheTestEvent()
    {
        await using var listener = await TestReceiver.StartAsync();
        var (endpoint, sibling) = (listener.Endpoint(), listener.Endpoint());
        var tenant = await Server.CreateTenantAsync("Testing");
        var id = (await tenant.Client.CreateListenerAsync(endpoint.Uri.ToString(), "entitlement.created")).String("id");
        var siblingId = (await tenant.Client.CreateListenerAsync(sibling.Uri.ToString(), "*")).String("id");

        using var response = await tenant.Client.PostAsync($"{Route}/{id}/test", null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await endpoint.WaitForCountAsync(1);
        var body = Assert.Single(endpoint.Received).Json;
        Assert.Equal("webhook.test", body.String("eventCode"));
        Assert.Equal(id, body.String("resourceId"));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("payload").ValueKind);
        Assert.Equal(1, body.Int("callAttempt"));
        var delivery = await tenant.Client.WaitForStatusAsync(id, body.String("eventId"), "succeeded");
        Assert.Equal("webhook.test", delivery.String("eventCode"));
        Assert.Equal(0, (await tenant.Client.DeliveriesAsync(siblingId)).Int("elementsTotal")); // that listener only, even one on "*"
    }

    [Fact]
    public async Task Test_WhenTheListenerFails_IsAttemptedOnce_AndShowsFailed()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint(500);
        var tenant = await Server.CreateTenantAsync("Failing test");
        var id = (await tenant.Client.CreateListenerAsync(endpoint.Uri.ToString(), "*")).String("id");

        using var response = await tenant.Client.PostAsync($"{Route}/{id}/test", null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await endpoint.WaitForCountAsync(1);
        var testEventId = endpoint.Received[0].EventId;
        var failed = await tenant.Client.WaitForStatusAsync(id, testEventId, "failed");
        Assert.Equal(500, Assert.Single(failed.Attempts()).StatusCode());
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("nextAttemptAt").ValueKind);

        // A marker retried on the same schedule: by its second attempt, a retry of the test event would have come first.
        endpoint.AnswerNext(500, 200);
        var (marker, _) = await tenant.Client.PublishAsync("customer.created");
        await endpoint.WaitForAsync(marker, 2);
        await tenant.Client.WaitForStatusAsync(id, marker, "succeeded");
        Assert.Single(endpoint.Of(testEventId));
        Assert.Single((await tenant.Client.WaitForDeliveryAsync(id, testEventId, _ => true)).Attempts());
    }
}
