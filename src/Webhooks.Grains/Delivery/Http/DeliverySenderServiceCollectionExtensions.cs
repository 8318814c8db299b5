using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Webhooks.Grains.Hosting;

namespace Webhooks.Grains.Delivery.Http;

/// <summary>Registers the HTTP delivery sender.</summary>
public static class DeliverySenderServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> every delivery attempt goes through.</summary>
    public const string HttpClientName = "webhooks-delivery";

    /// <summary>
    /// Adds <see cref="IDeliverySender"/>, bound to <see cref="DeliveryOptions"/> from <c>Webhooks:Delivery</c> (validated
    /// at start), with its named client: no redirects, no proxy, and a connect step that refuses non-public addresses
    /// unless <see cref="DeliveryOptions.AllowPrivateNetworks"/> is set.
    /// </summary>
    public static IServiceCollection AddDeliverySender(this IServiceCollection services)
    {
        services.AddSelfValidatingOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DeliveryPipelines>();
        services.TryAddSingleton<IDeliverySender, HttpDeliverySender>();
        services.TryAddSingleton<IListenerHostResolver, DnsListenerHostResolver>();

        services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan) // the pipeline bounds each attempt
            .ConfigurePrimaryHttpMessageHandler(provider => CreateHandler(
                provider.GetRequiredService<IOptions<DeliveryOptions>>().Value, provider.GetRequiredService<IListenerHostResolver>()))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan) // PooledConnectionLifetime already re-resolves DNS
            .RemoveAllLoggers(); // listener URIs can carry credentials in their path or query
        return services;
    }

    private static SocketsHttpHandler CreateHandler(DeliveryOptions options, IListenerHostResolver resolver) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false, // through a proxy the connect step would check the proxy's address, not the listener's
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = options.Timeout,
        MaxResponseDrainSize = 0, // an unread remainder is dropped with the connection, never read
        ConnectCallback = ListenerConnector.Create(options.AllowPrivateNetworks, resolver),
    };
}
