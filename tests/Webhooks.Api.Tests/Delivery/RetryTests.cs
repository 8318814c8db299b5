using System.Net;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Testing;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>Failed deliveries are retried on the schedule, honour Retry-After, end as failed, and can be started again.</summary>
public sealed class RetryTests(DeliveryServer server) : ApiTest(server), IClassFixture<DeliveryServer>
{
    [Fact]
    public async Task Delivery_WhenTheListenerFailsTwice_IsRetriedUntilItSucceeds_CountingCallAttempts()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint(500, 500, 200);
        var (tenant, id) = await ListenerAsync(endpoint);

        var (eventId, _) = await tenant.Client.PublishAsync("entitlement.renewed");

        var requests = await endpoint.WaitForAsync(eventId, 3);
        Assert.Equal([1, 2, 3], requests.Select(r => r.Json.Int("callAttempt")));
        var delivery = await tenant.Client.WaitForStatusAsync(id, eventId, "succeeded");
        var attempts = delivery.Attempts();
        Assert.Equal([1, 2, 3], attempts.Select(a => a.Int("attempt")));
        Assert.Equal([500, 500, 200], attempts.Select(a => a.StatusCode()));
        Assert.Equal("scripted 500", attempts[0].String("responseBody"));
        Assert.Equal("entitlement.renewed", delivery.String("eventCode"));
        Assert.Equal(3, endpoint.Received.Count);
    }

    [Fact]
    public async Task Delivery_WhenTheListenerAlwaysFails_IsFailedAfterTheSchedule_AndRedeliverStartsAFreshSeries()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint(500);
        var (tenant, id) = await ListenerAsync(endpoint);
        var (eventId, _) = await tenant.Client.PublishAsync("entitlement.expired");

        var failed = await tenant.Client.WaitForStatusAsync(id, eventId, "failed");

        Assert.Equal(DeliveryServer.Schedule.Length + 1, failed.Attempts().Length);
        Assert.All(failed.Attempts(), a => Assert.Equal(500, a.StatusCode()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, failed.GetProperty("nextAttemptAt").ValueKind);
        Assert.Equal(3, endpoint.Received.Count);
        var failedOnly = await tenant.Client.DeliveriesAsync(id, "?status=failed");
        Assert.Equal([eventId], failedOnly.GetProperty("items").EnumerateArray().Select(d => d.String("eventId")));

        // Still failing once more, then recovered: only a fresh series (a full schedule again) gets that far.
        endpoint.AnswerNext(500, 200);
        using var redeliver = await tenant.Client.PostAsync($"{Route}/{id}/deliveries/{eventId}/redeliver", null);

        Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);
        var delivered = await tenant.Client.WaitForStatusAsync(id, eventId, "succeeded");
        Assert.Equal([500, 500, 500, 500, 200], delivered.Attempts().Select(a => a.StatusCode()));
        Assert.Equal([1, 2, 3, 4, 5], (await endpoint.WaitForAsync(eventId, 5)).Select(r => r.Json.Int("callAttempt")));
        Assert.All(endpoint.Received, r => Assert.Equal(eventId, r.Headers["webhook-id"]));
    }

    [Fact]
    public async Task Recover_RequeuesTheFailedDeliveriesSinceTheGivenTime()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint(500);
        var (tenant, id) = await ListenerAsync(endpoint);
        var older = (await tenant.Client.PublishAsync("customer.created")).EventId;
        var olderFailed = await tenant.Client.WaitForStatusAsync(id, older, "failed");
        var since = olderFailed.GetProperty("createdAt").GetDateTimeOffset().AddTicks(1);
        var newer = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => tenant.Client.PublishAsync("customer.created")));
        foreach (var (eventId, _) in newer)
        {
            await tenant.Client.WaitForStatusAsync(id, eventId, "failed");
        }

        endpoint.AnswerNext(200);
        using var recover = await tenant.Client.PostAsync($"{Route}/{id}/recover", Json.Raw($$"""{"since":"{{since:O}}"}"""));

        Assert.Equal(HttpStatusCode.Accepted, recover.StatusCode);
        Assert.Equal(2, (await Json.ReadObjectAsync(recover)).Int("requeued"));
        foreach (var (eventId, _) in newer)
        {
            Assert.Equal(200, (await tenant.Client.WaitForStatusAsync(id, eventId, "succeeded")).Attempts()[^1].StatusCode());
        }

        Assert.Equal("failed", (await tenant.Client.WaitForDeliveryAsync(id, older, _ => true)).String("status"));
        using var none = await tenant.Client.PostAsync($"{Route}/{id}/recover", Json.Raw("""{"since":"2100-01-01T00:00:00Z"}"""));
        Assert.Equal(HttpStatusCode.Accepted, none.StatusCode);
        Assert.Equal(0, (await Json.ReadObjectAsync(none)).Int("requeued"));
    }

    [Fact]
    public async Task Delivery_WhenTheListenerAnswers429WithRetryAfter_WaitsThatLongBeforeTheNextAttempt()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint(new Reply(429, "1"), 200);
        var (tenant, id) = await ListenerAsync(endpoint);

        var (eventId, _) = await tenant.Client.PublishAsync("entitlement.seat.activated");

        var requests = await endpoint.WaitForAsync(eventId, 2);
        // The schedule alone would retry after 200 ms; the listener asked for a second. No upper bound: timing is the host's.
        var gap = requests[1].ReceivedAt - requests[0].ReceivedAt;
        Assert.True(gap >= TimeSpan.FromMilliseconds(900), $"The second attempt came {gap.TotalMilliseconds} ms after the first.");
        var delivery = await tenant.Client.WaitForStatusAsync(id, eventId, "succeeded");
        Assert.Equal([429, 200], delivery.Attempts().Select(a => a.StatusCode()));
    }

    private async Task<(TestTenant Tenant, string ListenerId)> ListenerAsync(ScriptedEndpoint endpoint)
    {
        var tenant = await Server.CreateTenantAsync("Retrying");
        return (tenant, (await tenant.Client.CreateListenerAsync(endpoint.Uri.ToString(), "*")).String("id"));
    }
}
