using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Abstractions.Limits;
using Webhooks.Abstractions.Publishing;
using Webhooks.Api.Tests.Delivery;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Testing;

namespace Webhooks.Api.Tests.Publishing;

/// <summary>
/// The in-process publisher (the server's own <see cref="IWebhookPublisher"/>, as a platform's grain gets it) applies
/// the rules of <c>POST api/v1/events</c>: an event that breaks them is refused with typed field errors, nothing of it
/// is stored or delivered, and both paths name the same fields with the same messages.
/// </summary>
public sealed class InProcessPublishValidationTests(DeliveryServer server) : ApiTest(server), IClassFixture<DeliveryServer>
{
    private const string Code = "entitlement.created";

    private static readonly Dictionary<string, (WebhookEvent Event, string Field)> Refused = new()
    {
        ["unknown code"] = (new WebhookEvent("entitlement.exploded", "ent_1"), "eventCode"),
        ["all-events code"] = (new WebhookEvent("*", "ent_1"), "eventCode"),
        ["empty code"] = (new WebhookEvent("", "ent_1"), "eventCode"),
        ["no resource id"] = (new WebhookEvent(Code, null), "resourceId"),
        ["blank resource id"] = (new WebhookEvent(Code, "  "), "resourceId"),
        ["long resource id"] = (new WebhookEvent(Code, new string('r', 257)), "resourceId"),
        ["bad event id"] = (new WebhookEvent(Code, "ent_1", null, "not an id"), "eventId"),
        ["payload cut short"] = (new WebhookEvent(Code, "ent_1", """{"seats":"""), "payload"),
        ["payload not JSON"] = (new WebhookEvent(Code, "ent_1", "seats=3"), "payload"),
        ["payload of two values"] = (new WebhookEvent(Code, "ent_1", "{} {}"), "payload"),
        ["empty payload"] = (new WebhookEvent(Code, "ent_1", ""), "payload"),
        ["payload with a lone surrogate"] = (new WebhookEvent(Code, "ent_1", "\"\uD800\""), "payload"),
        ["payload over the cap"] = (new WebhookEvent(Code, "ent_1", JsonSerializer.Serialize(new string('x', new WebhooksLimitsOptions().MaxPayloadBytes))), "payload"),
    };

    public static TheoryData<string> RefusedCases => [.. Refused.Keys];

    private IWebhookPublisher Publisher => Server.Services.GetRequiredService<IWebhookPublisher>();

    [Theory]
    [MemberData(nameof(RefusedCases))]
    public async Task PublishInProcess_OfAnEventBreakingARule_IsRefusedWithThatFieldsError_AndNothingIsStoredOrDelivered(string name)
    {
        var (refused, field) = Refused[name];
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint();
        var tenant = await Server.CreateTenantAsync("In-process " + name);
        await tenant.Client.CreateListenerAsync(endpoint.Uri.ToString(), "*");

        var outcome = await Publisher.PublishAsync(tenant.Id, refused);

        Assert.False(outcome.IsAccepted);
        Assert.Null(outcome.Result);
        var error = Assert.Single(outcome.Errors);
        Assert.Equal(field, error.Field);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));

        // Every accepted event is in the feed before its publish returns, so a feed holding only a marker published
        // afterwards, and a listener (subscribed to every code) that got only the marker, show the refused one was never taken.
        var marker = await Publisher.PublishAsync(tenant.Id, new WebhookEvent(Code, "ent_marker", """{"seats":1}"""));
        Assert.True(marker.IsAccepted, string.Join("; ", marker.Errors));
        Assert.Equal(1, marker.Result.MatchedWebhooks);
        await endpoint.WaitForAsync(marker.Result.EventId);
        Assert.Equal([marker.Result.EventId], await tenant.Client.FeedEventIdsAsync());
        Assert.Equal([marker.Result.EventId], endpoint.Received.Select(r => r.EventId));
    }

    [Fact]
    public async Task PublishInProcess_AndOverHttp_RefuseTheSameFieldsWithTheSameMessages()
    {
        var tenant = await Server.CreateTenantAsync("Both paths");
        var refused = new WebhookEvent("license.unknown", new string('r', 300), """{"seats":1}""", "an id with spaces");

        var inProcess = await Publisher.PublishAsync(tenant.Id, refused);
        using var response = await tenant.Client.PostAsync(DeliveryClient.EventsRoute, Json.Raw(JsonSerializer.Serialize(new
        {
            eventId = refused.EventId,
            eventCode = refused.EventCode,
            resourceId = refused.ResourceId,
            payload = new { seats = 1 },
        })));

        var body = await Problems.AssertValidationProblemAsync(response, "eventId", "eventCode", "resourceId");
        var overHttp = body.GetProperty("validationErrors").EnumerateArray()
            .Select(e => (e.String("propertyName"), e.String("errorMessage")))
            .Order();
        Assert.Equal(overHttp, inProcess.Errors.Select(e => (e.Field, e.Message)).Order());
        Assert.Empty(await tenant.Client.FeedEventIdsAsync());
    }

    [Fact]
    public async Task PublishInProcess_OfAValidEvent_IsAcceptedAndDelivered_AsOverHttp()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint();
        var tenant = await Server.CreateTenantAsync("In-process accepted");
        await tenant.Client.CreateListenerAsync(endpoint.Uri.ToString(), Code);

        var outcome = await Publisher.PublishAsync(tenant.Id, new WebhookEvent(Code, "ent_7", """{"seats":3}""", "ent_7:v1"));

        Assert.True(outcome.IsAccepted, string.Join("; ", outcome.Errors));
        Assert.Empty(outcome.Errors);
        Assert.Equal(new PublishResult("ent_7:v1", 1), outcome.Result);
        var delivered = Assert.Single(await endpoint.WaitForAsync("ent_7:v1"));
        Assert.Equal(3, delivered.Json.GetProperty("payload").GetProperty("seats").GetInt32());
    }
}
