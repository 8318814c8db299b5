using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Abstractions.Publishing;
using Webhooks.Api.Tests.Delivery;
using Webhooks.Api.Tests.Infrastructure;

namespace Webhooks.Api.Tests.Catalog;

/// <summary>With <c>Webhooks:ValidatePayloads</c> off, schemas are still listed but no payload is held to them.</summary>
public sealed class EventSchemaSwitchOffTests(EventSchemaUncheckedServer server) : ApiTest(server), IClassFixture<EventSchemaUncheckedServer>
{
    [Fact]
    public async Task Publish_OfAPayloadBreakingItsSchema_IsAcceptedOnBothPaths_AndTheSchemaIsStillListed()
    {
        var tenant = await Server.CreateTenantAsync("Checking off");

        var overHttp = await tenant.Client.PublishAsync(EventSchemaServer.InlineCode, "lic_1", new { seats = 0 });
        var inProcess = await Server.Services.GetRequiredService<IWebhookPublisher>()
            .PublishAsync(tenant.Id, new WebhookEvent(EventSchemaServer.InlineCode, "lic_1", """{"seats":"many"}"""));
        using var catalog = await tenant.Client.GetAsync("api/v1/account/webhooks/events");

        Assert.False(string.IsNullOrEmpty(overHttp.EventId));
        Assert.True(inProcess.IsAccepted, string.Join("; ", inProcess.Errors));
        Assert.Equal(HttpStatusCode.OK, catalog.StatusCode);
        var listed = (await Json.ReadObjectAsync(catalog)).GetProperty("items").EnumerateArray().Single(i => i.String("code") == EventSchemaServer.InlineCode);
        Assert.Equal("object", listed.GetProperty("schema").String("type"));
    }

    [Fact]
    public async Task Publish_OfAPayloadThatIsNotJson_IsStillRefused()
    {
        var tenant = await Server.CreateTenantAsync("Still JSON");

        var outcome = await Server.Services.GetRequiredService<IWebhookPublisher>()
            .PublishAsync(tenant.Id, new WebhookEvent(EventSchemaServer.InlineCode, "lic_1", "seats=0"));

        Assert.Equal("payload", Assert.Single(outcome.Errors).Field);
    }
}
