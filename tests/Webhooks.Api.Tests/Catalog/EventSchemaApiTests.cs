using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Abstractions.Publishing;
using Webhooks.Api.Tests.Delivery;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Api.Tests.Catalog;

/// <summary>
/// A catalog with schemas: <c>GET …/webhooks/events</c> lists each type's schema and example beside the compatible
/// fields, and both publishing paths refuse a payload that breaks its type's schema, naming each failing place, with
/// nothing stored or delivered.
/// </summary>
public sealed class EventSchemaApiTests(EventSchemaServer server) : ApiTest(server), IClassFixture<EventSchemaServer>
{
    private IWebhookPublisher Publisher => Server.Services.GetRequiredService<IWebhookPublisher>();

    [Fact]
    public async Task GetEventTypes_ListsEachTypesSchemaAndExample_InlineOrFromFiles_BesideTheCompatibleFields()
    {
        var tenant = await Server.CreateTenantAsync("Schemas listed");

        using var response = await tenant.Client.GetAsync("api/v1/account/webhooks/events");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.ReadObjectAsync(response);
        Assert.Equal(6, body.Int("elementsTotal"));
        var items = body.GetProperty("items").EnumerateArray().ToDictionary(i => i.String("code"));
        var inline = items[EventSchemaServer.InlineCode];
        Assert.Equal(("license", "A license was created."), (inline.String("type"), inline.String("description")));
        AssertSameJson(EventSchemaServer.InlineSchema, inline.GetProperty("schema"));
        AssertSameJson(EventSchemaServer.InlineExample, inline.GetProperty("example"));
        var fromFiles = items[EventSchemaServer.FileCode];
        AssertSameJson(EventSchemaServer.FileSchema, fromFiles.GetProperty("schema"));
        AssertSameJson(EventSchemaServer.FileExample, fromFiles.GetProperty("example"));
        Assert.Equal(JsonValueKind.Object, fromFiles.GetProperty("schema").ValueKind);

        // A type without them has exactly the compatible fields, as has every operational event.
        foreach (var code in new[] { EventSchemaServer.PlainCode, "webhook.disabled" })
        {
            Assert.Equal(["type", "code", "description"], items[code].EnumerateObject().Select(p => p.Name));
        }
    }

    [Fact]
    public async Task Publish_OfAPayloadSatisfyingItsSchema_IsAcceptedAndDelivered()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint();
        var tenant = await Server.CreateTenantAsync("Valid payload");
        await tenant.Client.CreateListenerAsync(endpoint.Uri.ToString(), "*");

        var published = await tenant.Client.PublishAsync(EventSchemaServer.InlineCode, "lic_1", new { licenseId = "lic_1", seats = 2, tags = new[] { "pro" } });
        var fromFile = await tenant.Client.PublishAsync(EventSchemaServer.FileCode, "mach_9", new { machineId = "mach_9" });

        Assert.Equal(1, published.MatchedWebhooks);
        Assert.Equal(2, (await endpoint.WaitForAsync(published.EventId)).Single().Json.GetProperty("payload").GetProperty("seats").GetInt32());
        Assert.Single(await endpoint.WaitForAsync(fromFile.EventId));
    }

    [Fact]
    public async Task Publish_OfAPayloadBreakingItsSchema_Is422NamingEachFailingPlace_AndNothingIsStoredOrDelivered()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint();
        var tenant = await Server.CreateTenantAsync("Invalid payload");
        await tenant.Client.CreateListenerAsync(endpoint.Uri.ToString(), "*");

        using var response = await tenant.Client.PostAsync(DeliveryClient.EventsRoute,
            DeliveryClient.Event(EventSchemaServer.InlineCode, "lic_1", new { licenseId = "lic_1", seats = 0, tags = new object[] { "pro", 7 } }, "lic_1:v1"));

        var body = await Problems.AssertValidationProblemAsync(response, "payload/seats", "payload/tags/1");
        var errors = Messages(body);
        Assert.Equal("0 should be at least 1 (minimum)", errors["payload/seats"]);
        Assert.Contains("string", errors["payload/tags/1"], StringComparison.Ordinal);
        await AssertOnlyAMarkerWasTakenAsync(tenant.Client, endpoint);
    }

    [Fact]
    public async Task Publish_OfAPayloadOfTheWrongShape_NamesThePayloadItself_OrTheMissingProperty()
    {
        var tenant = await Server.CreateTenantAsync("Wrong shapes");

        using var array = await tenant.Client.PostAsync(DeliveryClient.EventsRoute, DeliveryClient.Event(EventSchemaServer.InlineCode, "lic_1", new[] { 1, 2 }));
        using var missing = await tenant.Client.PostAsync(DeliveryClient.EventsRoute, DeliveryClient.Event(EventSchemaServer.InlineCode, "lic_1", new { licenseId = "lic_1" }));
        using var none = await tenant.Client.PostAsync(DeliveryClient.EventsRoute, DeliveryClient.Event(EventSchemaServer.InlineCode, "lic_1"));
        using var loneSurrogate = await tenant.Client.PostAsync(DeliveryClient.EventsRoute,
            Json.Raw($$$"""{"eventCode":"{{{EventSchemaServer.FileCode}}}","resourceId":"mach_9","payload":{"machineId":"\ud800"}}"""));
        using var extra = await tenant.Client.PostAsync(DeliveryClient.EventsRoute, DeliveryClient.Event(EventSchemaServer.FileCode, "mach_9", new { machineId = "mach_9", cpu = 3 }));

        Assert.Contains("array", Messages(await Problems.AssertValidationProblemAsync(array, "payload"))["payload"], StringComparison.Ordinal);
        Assert.Contains("seats", Messages(await Problems.AssertValidationProblemAsync(missing, "payload"))["payload"], StringComparison.Ordinal);
        // No payload reaches a listener as null, which this schema does not allow.
        Assert.Contains("null", Messages(await Problems.AssertValidationProblemAsync(none, "payload"))["payload"], StringComparison.Ordinal);
        Assert.Contains("additionalProperties: false", Messages(await Problems.AssertValidationProblemAsync(extra, "payload/cpu"))["payload/cpu"], StringComparison.Ordinal);
        // Valid JSON that the schema's pattern cannot read (an escaped lone surrogate) is refused, never a 5xx.
        Assert.Contains("cannot be checked", Messages(await Problems.AssertValidationProblemAsync(loneSurrogate, "payload"))["payload"], StringComparison.Ordinal);
        Assert.Empty(await tenant.Client.FeedEventIdsAsync());
    }

    [Fact]
    public async Task Publish_OfATypeWithoutSchema_TakesAnyPayload()
    {
        var tenant = await Server.CreateTenantAsync("No schema");

        var published = await tenant.Client.PublishAsync(EventSchemaServer.PlainCode, "lic_1", new[] { "anything", "at all" });

        Assert.Equal([published.EventId], await tenant.Client.FeedEventIdsAsync());
    }

    [Fact]
    public async Task PublishInProcess_OfAPayloadBreakingItsSchema_IsRefusedWithTheSameErrorsAsOverHttp_AndNothingIsStoredOrDelivered()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint();
        var tenant = await Server.CreateTenantAsync("In-process schema");
        await tenant.Client.CreateListenerAsync(endpoint.Uri.ToString(), "*");
        const string Payload = """{"licenseId":42,"seats":0}""";

        var outcome = await Publisher.PublishAsync(tenant.Id, new WebhookEvent(EventSchemaServer.InlineCode, "lic_1", Payload, "lic_1:v1"));
        using var response = await tenant.Client.PostAsync(DeliveryClient.EventsRoute,
            Json.Raw($$"""{"eventCode":"{{EventSchemaServer.InlineCode}}","resourceId":"lic_1","payload":{{Payload}}}"""));

        Assert.False(outcome.IsAccepted);
        Assert.Equal(["payload/licenseId", "payload/seats"], outcome.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
        var overHttp = Messages(await Problems.AssertValidationProblemAsync(response, "payload/licenseId", "payload/seats"));
        Assert.Equal(overHttp.OrderBy(e => e.Key), outcome.Errors.ToDictionary(e => e.Field, e => e.Message).OrderBy(e => e.Key));
        await AssertOnlyAMarkerWasTakenAsync(tenant.Client, endpoint);
    }

    [Fact]
    public async Task PublishInProcess_OfAPayloadSatisfyingItsSchema_IsAccepted()
    {
        var tenant = await Server.CreateTenantAsync("In-process valid");

        var outcome = await Publisher.PublishAsync(tenant.Id, new WebhookEvent(EventSchemaServer.FileCode, "mach_1", """{"machineId":"mach_1"}"""));

        Assert.True(outcome.IsAccepted, string.Join("; ", outcome.Errors));
        Assert.Equal([outcome.Result.EventId], await tenant.Client.FeedEventIdsAsync());
    }

    // Every accepted event is in the feed before its publish returns, so a feed holding only a marker published
    // afterwards, and a listener (subscribed to every code) that got only the marker, show the refused one was never taken.
    private static async Task AssertOnlyAMarkerWasTakenAsync(HttpClient client, ScriptedEndpoint endpoint)
    {
        var marker = await client.PublishAsync(EventSchemaServer.PlainCode, "lic_marker");
        await endpoint.WaitForAsync(marker.EventId);
        Assert.Equal([marker.EventId], await client.FeedEventIdsAsync());
        Assert.Equal([marker.EventId], endpoint.Received.Select(r => r.EventId));
    }

    private static Dictionary<string, string> Messages(JsonElement problem) =>
        problem.GetProperty("validationErrors").EnumerateArray().ToDictionary(e => e.String("propertyName"), e => e.String("errorMessage"));

    private static void AssertSameJson(string expected, JsonElement actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual.GetRawText())), $"Expected {expected}, got {actual.GetRawText()}");
}
