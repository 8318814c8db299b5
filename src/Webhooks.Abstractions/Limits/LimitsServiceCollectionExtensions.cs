using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Webhooks.Abstractions.Limits;

/// <summary>Registers <see cref="WebhooksLimitsOptions"/>, the one owner of <c>Webhooks:Limits</c>.</summary>
public static class LimitsServiceCollectionExtensions
{
    /// <summary>
    /// Binds <c>Webhooks:Limits</c> and checks it when the host starts: a value out of its range stops the start with
    /// a message naming the setting. Safe to call more than once (the silo and the API both do, and in one process they
    /// share the services): the section is bound, and validated, once.
    /// </summary>
    public static IServiceCollection AddWebhooksLimits(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<WebhooksLimitsOptions>) && d.ImplementationType == typeof(WebhooksLimitsOptions.Validator)))
        {
            return services;
        }

        services.AddOptions<WebhooksLimitsOptions>().BindConfiguration(WebhooksLimitsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhooksLimitsOptions>, WebhooksLimitsOptions.Validator>();
        return services;
    }
}
