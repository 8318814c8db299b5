using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Webhooks.Receiving.Keys;
using Webhooks.Receiving.Replay;
using Webhooks.Receiving.Verification;

namespace Webhooks.Receiving;

/// <summary>Registers the receiver: <c>services.AddWebhookReceiver(o => …)</c>, then <c>app.MapWebhookReceiver(…)</c>.</summary>
public static class WebhookReceiverServiceCollectionExtensions
{
    /// <summary>
    /// Adds the verification <see cref="WebhookReceiverExtensions.MapWebhookReceiver(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder, string, Func{WebhookEvent, CancellationToken, Task})"/>
    /// uses, with its options checked at start-up, and the in-memory <see cref="IReplayCache"/> unless one is registered.
    /// </summary>
    public static IServiceCollection AddWebhookReceiver(this IServiceCollection services, Action<WebhookReceiverOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<WebhookReceiverOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookReceiverOptions>, WebhookReceiverOptionsValidator>());
        services.AddHttpClient(KeySetCache.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        services.TryAddSingleton<KeySetCache>();
        services.TryAddSingleton<IReplayCache, MemoryReplayCache>();
        services.TryAddSingleton<DeliveryVerifier>();
        return services;
    }
}
