using Microsoft.Extensions.Options;
using Webhooks.Abstractions.Catalog;
using Webhooks.Abstractions.Limits;
using Webhooks.Abstractions.Publishing;

namespace Webhooks.Grains.Tests.Infrastructure;

/// <summary>
/// The in-process publisher as a platform gets it, with a catalog of the one code these tests publish; and publishing
/// that expects acceptance, so a refusal fails the test with its reasons.
/// </summary>
internal static class TestPublisher
{
    public const string EventCode = "order.created";

    public static WebhookPublisher Create(IGrainFactory grains, TimeProvider? time = null)
    {
        var catalog = new EventCatalog(Options.Create(new EventCatalogOptions
        {
            EventTypes = [new EventType { Code = EventCode, Type = "order", Description = "An order was created." }],
        }));
        return new WebhookPublisher(grains, time ?? TimeProvider.System, new WebhookEventRules(catalog, Options.Create(new WebhooksLimitsOptions())));
    }

    public static async Task<PublishResult> PublishAcceptedAsync(this IWebhookPublisher publisher, string tenantId, WebhookEvent webhookEvent)
    {
        var outcome = await publisher.PublishAsync(tenantId, webhookEvent);
        Assert.True(outcome.IsAccepted, "The event was refused: " + string.Join("; ", outcome.Errors));
        return outcome.Result;
    }
}
