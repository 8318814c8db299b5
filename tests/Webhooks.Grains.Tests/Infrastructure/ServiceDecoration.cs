using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Grains.Tests.Infrastructure;

internal static class ServiceDecoration
{
    /// <summary>
    /// Replaces the last (unkeyed) registration of <typeparamref name="TService"/> with a singleton that builds the
    /// registered service, however it was registered, and hands it to <paramref name="wrap"/>. Call after
    /// <c>AddWebhooks</c>, which registers the services a test puts faults or delays in front of.
    /// </summary>
    public static IServiceCollection Decorate<TService>(this IServiceCollection services, Func<TService, TService> wrap)
        where TService : class
    {
        var real = services.Last(d => d.ServiceType == typeof(TService) && !d.IsKeyedService);
        services.Remove(real);
        services.AddSingleton(sp => wrap((TService)(real.ImplementationInstance
            ?? real.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, real.ImplementationType!))));
        return services;
    }
}
