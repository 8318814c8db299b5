using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Abstractions.Publishing;
using Webhooks.Api.Tests.Delivery;
using Webhooks.Api.Tests.Infrastructure;

namespace Webhooks.Api.Tests.Publishing;

/// <summary>A server whose payload cap is set below the publish body cap.</summary>
public sealed class SmallPayloadCapServer : ApiServer
{
    public const int MaxPayloadBytes = 1024;

    protected override IEnumerable<KeyValuePair<string, string>> AdditionalSettings() =>
        [new("Webhooks:Limits:MaxPayloadBytes", MaxPayloadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}

/// <summary><c>Webhooks:Limits:MaxPayloadBytes</c> is one rule for both paths: a 422 over HTTP, a refused outcome in-process.</summary>
public sealed class PayloadCapTests(SmallPayloadCapServer server) : ApiTest(server), IClassFixture<SmallPayloadCapServer>
{
    [Fact]
    public async Task Publish_OfAPayloadOverTheConfiguredCap_IsRefusedOnBothPaths_AndOneAtTheCapIsAccepted()
    {
        var tenant = await Server.CreateTenantAsync("Payload cap");
        var publisher = Server.Services.GetRequiredService<IWebhookPublisher>();
        // A JSON string of n characters is n + 2 bytes.
        var over = new string('x', SmallPayloadCapServer.MaxPayloadBytes - 1);
        var atCap = new string('x', SmallPayloadCapServer.MaxPayloadBytes - 2);

        using var response = await tenant.Client.PostAsync(DeliveryClient.EventsRoute, DeliveryClient.Event("entitlement.created", "ent_1", over));
        var inProcess = await publisher.PublishAsync(tenant.Id, new WebhookEvent("entitlement.created", "ent_1", JsonSerializer.Serialize(over)));

        var body = await Problems.AssertValidationProblemAsync(response, "payload");
        Assert.Equal("payload", Assert.Single(inProcess.Errors).Field);
        Assert.Equal(body.GetProperty("validationErrors")[0].String("errorMessage"), inProcess.Errors[0].Message);
        Assert.Equal(0, (await tenant.Client.PublishAsync("entitlement.created", "ent_1", atCap)).MatchedWebhooks);
        Assert.True((await publisher.PublishAsync(tenant.Id, new WebhookEvent("entitlement.created", "ent_1", JsonSerializer.Serialize(atCap)))).IsAccepted);
    }
}
