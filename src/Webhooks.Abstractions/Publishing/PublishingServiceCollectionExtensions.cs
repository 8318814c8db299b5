using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Webhooks.Abstractions.Catalog;
using Webhooks.Abstractions.Limits;

namespace Webhooks.Abstractions.Publishing;

/// <summary>Registers what both publishing paths share: the event catalog, the publishing rules and the in-process publisher.</summary>
public static class PublishingServiceCollectionExtensions
{
    /// <summary>
    /// Adds the catalog (<c>Webhooks:EventTypes</c>, with its schemas and examples checked at start, and <c>Webhooks:ValidatePayloads</c>), the limits (<c>Webhooks:Limits</c>, whose <c>MaxPayloadBytes</c> is
    /// the payload cap), the rules and <see cref="IWebhookPublisher"/>. Safe to call more than once (the silo and the API both do, and in one
    /// process they share the services): configuration is bound once, or the catalog's list would hold every code twice.
    /// </summary>
    public static IServiceCollection AddWebhookPublishing(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(WebhookEventRules)))
        {
            return services;
        }

        services.AddOptions<EventCatalogOptions>().BindConfiguration(EventCatalogOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EventCatalogOptions>, EventCatalogOptions.Validator>();
        services.AddWebhooksLimits();
        services.TryAddSingleton<EventCatalog>();
        services.AddSingleton<WebhookEventRules>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IWebhookPublisher, WebhookPublisher>();
        return services;
    }
}
