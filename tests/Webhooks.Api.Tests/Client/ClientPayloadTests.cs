using System.Text.Json;
using Webhooks.Api.Tests.Delivery;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Client.Payloads;

namespace Webhooks.Api.Tests.Client;

/// <summary>An event's payload (any JSON value) goes out and comes back through the typed client with no JSON written by hand.</summary>
public sealed class ClientPayloadTests(ApiServer server) : ApiTest(server), IClassFixture<ApiServer>
{
    [Fact]
    public async Task PublishedPayload_ReadBackFromTheEvent_IsTheSameJson()
    {
        var tenant = await Server.CreateTenantAsync();
        var payload = new { seats = 5, plan = "pro", ratio = 0.25, tags = new[] { "a", "b" }, owner = (string?)null, trial = false };

        var published = await tenant.Api.PublishAsync("entitlement.created", "ent_payload", payload);
        var stored = await tenant.Api.Api.V1.Events[published.EventId].GetAsync();

        Assert.Equal("ent_payload", stored?.ResourceId);
        var expected = JsonSerializer.SerializeToElement(payload, JsonSerializerOptions.Web);
        Assert.True(JsonElement.DeepEquals(expected, JsonPayload.ToElement(stored?.Payload)),
            $"Sent {expected}, read back {JsonPayload.ToElement(stored?.Payload)}.");
    }

    [Fact]
    public async Task AnEventWithoutAPayload_ReadsBackAsJsonNull()
    {
        var tenant = await Server.CreateTenantAsync();

        var published = await tenant.Api.PublishAsync("entitlement.created", "ent_empty");
        var stored = await tenant.Api.Api.V1.Events[published.EventId].GetAsync();

        Assert.Equal(JsonValueKind.Null, JsonPayload.ToElement(stored?.Payload).ValueKind);
    }
}
