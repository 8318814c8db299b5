using System.Net;
using System.Text.Json;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Testing;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>
/// Disabling a listener by hand, the events parked meanwhile, and enabling it: with no body (as existing clients
/// send it) the parked events are delivered; with <c>{"replayParked":false}</c> they are skipped.
/// </summary>
public sealed class ParkedDeliveryApiTests(DeliveryServer server) : ApiTest(server), IClassFixture<DeliveryServer>
{
    [Fact]
    public async Task Disable_ParksPublishedEvents_AndEnableWithNoBodyOrContentType_DeliversThem()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint(200);
        var (tenant, id) = await ListenerAsync(endpoint);

        using var disable = await tenant.Client.PostAsync($"{Route}/{id}/disable", null);
        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        var disabled = await Json.ReadObjectAsync(disable);
        Assert.False(disabled.GetProperty("enabled").GetBoolean());
        Assert.Equal("DisabledByUser", disabled.String("disabledReason"));

        var (eventId, matched) = await tenant.Client.PublishAsync("entitlement.created");
        Assert.Equal(1, matched);
        var parked = await tenant.Client.DeliveriesAsync(id, "?status=parked");
        var delivery = Assert.Single(parked.GetProperty("items").EnumerateArray());
        Assert.Equal(eventId, delivery.String("eventId"));
        Assert.Equal("parked", delivery.String("status"));
        Assert.Empty(delivery.Attempts());

        using var enable = await tenant.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{Route}/{id}/enable")); // no body, no Content-Type
        Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        var enabled = await Json.ReadObjectAsync(enable);
        Assert.True(enabled.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, enabled.GetProperty("disabledReason").ValueKind);

        await tenant.Client.WaitForStatusAsync(id, eventId, "succeeded");
        Assert.Single(endpoint.Of(eventId));
    }

    [Fact]
    public async Task Enable_WithReplayParkedFalse_MarksTheParkedEventsSkipped_AndSendsNone()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint(200);
        var (tenant, id) = await ListenerAsync(endpoint);
        using var disable = await tenant.Client.PostAsync($"{Route}/{id}/disable", null);
        var skipped = (await tenant.Client.PublishAsync("entitlement.created")).EventId;

        using var enable = await tenant.Client.PostAsync($"{Route}/{id}/enable", Json.Raw("""{"replayParked":false}"""));

        Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        var after = (await tenant.Client.PublishAsync("entitlement.created")).EventId;
        await tenant.Client.WaitForStatusAsync(id, after, "succeeded");
        Assert.Equal("skipped", (await tenant.Client.WaitForDeliveryAsync(id, skipped, _ => true)).String("status"));
        var page = await tenant.Client.DeliveriesAsync(id, "?status=skipped");
        Assert.Equal([skipped], page.GetProperty("items").EnumerateArray().Select(d => d.String("eventId")));
        Assert.Empty(endpoint.Of(skipped));
    }

    [Fact]
    public async Task AListenerAnswering410Gone_IsDisabledAtOnce_ItsEventsParked_AndEnablingDeliversThemWhenItIsBack()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint(410);
        var (tenant, id) = await ListenerAsync(endpoint);

        // One attempt, answered 410: no retries; the listener is disabled and the delivery parked.
        var gone = (await tenant.Client.PublishAsync("entitlement.created")).EventId;
        var parked = await tenant.Client.WaitForStatusAsync(id, gone, "parked");
        Assert.Equal([410], parked.Attempts().Select(a => a.GetProperty("statusCode").GetInt32()));
        using (var view = await tenant.Client.GetAsync($"{Route}/{id}"))
        {
            var listenerView = await Json.ReadObjectAsync(view);
            Assert.False(listenerView.GetProperty("enabled").GetBoolean());
            Assert.Equal("Gone", listenerView.String("disabledReason"));
        }

        // Meanwhile events are parked, not sent.
        var (later, matched) = await tenant.Client.PublishAsync("entitlement.created");
        Assert.Equal(1, matched);
        Assert.Equal("parked", (await tenant.Client.WaitForDeliveryAsync(id, later, _ => true)).String("status"));
        Assert.Single(endpoint.Received);

        // The endpoint is back: enabling delivers both, released in order of acceptance: their attempts start in that
        // order (the listener is not ordered, so two requests in flight together may still arrive either way round).
        endpoint.AnswerNext(200);
        using var enable = await tenant.Client.PostAsync($"{Route}/{id}/enable", null);
        Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        var goneRetried = (await tenant.Client.WaitForStatusAsync(id, gone, "succeeded")).Attempts()[1].GetProperty("at").GetDateTimeOffset();
        var laterSent = Assert.Single((await tenant.Client.WaitForStatusAsync(id, later, "succeeded")).Attempts()).GetProperty("at").GetDateTimeOffset();
        Assert.True(goneRetried <= laterSent, $"the later event's attempt started at {laterSent:O}, before the first one's at {goneRetried:O}");
        Assert.Equal(gone, endpoint.Received[0].EventId);
        Assert.Equal(new[] { gone, later }.Order(StringComparer.Ordinal), endpoint.Received.Skip(1).Select(r => r.EventId).Order(StringComparer.Ordinal));
    }

    public static TheoryData<string?, string?> AcceptedEnableBodies => new()
    {
        { "", "application/json" },
        { "", null },
        { "{}", "application/json" },
        { """{"replayParked":null}""", "application/json" },
        { """{"replayParked":true}""", "application/json; charset=utf-8" },
    };

    [Theory]
    [MemberData(nameof(AcceptedEnableBodies))]
    public async Task Enable_WithAnEmptyOrDefaultBody_ReplaysTheParkedEvents(string? body, string? mediaType)
    {
        await using var listener = await TestReceiver.StartAsync();
        var (tenant, id) = await ListenerAsync(listener.Endpoint(200));
        using var disable = await tenant.Client.PostAsync($"{Route}/{id}/disable", null);
        var eventId = (await tenant.Client.PublishAsync("entitlement.created")).EventId;

        var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body ?? ""));
        if (mediaType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", mediaType);
        }

        using var enable = await tenant.Client.PostAsync($"{Route}/{id}/enable", content);

        Assert.True(enable.StatusCode == HttpStatusCode.OK, await enable.Content.ReadAsStringAsync());
        await tenant.Client.WaitForStatusAsync(id, eventId, "succeeded");
    }

    public static TheoryData<string> UnreadableEnableBodies => new()
    {
        """{"replayParked":""",
        """{"replayParked":"yes"}""",
        """{"replayParked":1}""",
        "[]",
        "not json",
    };

    [Theory]
    [MemberData(nameof(UnreadableEnableBodies))]
    public async Task Enable_WithAnUnreadableBody_Returns400_AndLeavesTheListenerDisabled(string body)
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint(200);
        var (tenant, id) = await ListenerAsync(endpoint);
        using var disable = await tenant.Client.PostAsync($"{Route}/{id}/disable", null);
        var eventId = (await tenant.Client.PublishAsync("entitlement.created")).EventId;

        using var enable = await tenant.Client.PostAsync($"{Route}/{id}/enable", Json.Raw(body));

        await Problems.AssertProblemAsync(enable, HttpStatusCode.BadRequest);
        Assert.False((await tenant.Client.GetListenerAsync(id)).GetProperty("enabled").GetBoolean());
        Assert.Equal("parked", (await tenant.Client.WaitForDeliveryAsync(id, eventId, _ => true)).String("status"));
    }

    [Fact]
    public async Task Disable_AnUnknownListener_Returns404()
    {
        var tenant = await Server.CreateTenantAsync("Parking");

        using var unknown = await tenant.Client.PostAsync($"{Route}/{UnknownListenerId()}/disable", null);
        using var notAnId = await tenant.Client.PostAsync($"{Route}/not-an-id/disable", null);

        await Problems.AssertProblemAsync(unknown, HttpStatusCode.NotFound, "NotFound");
        await Problems.AssertProblemAsync(notAnId, HttpStatusCode.NotFound, "NotFound");
    }

    private async Task<(TestTenant Tenant, string ListenerId)> ListenerAsync(ScriptedEndpoint endpoint)
    {
        var tenant = await Server.CreateTenantAsync("Parking");
        return (tenant, (await tenant.Client.CreateListenerAsync(endpoint.Uri.ToString(), "*")).String("id"));
    }
}
