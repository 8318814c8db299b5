using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Webhooks.Grains.Storage.PostgreSql;

namespace Webhooks.Grains.KeyRing;

/// <summary>Registers the database key ring: the repository, its configuration and the first-key step at start.</summary>
internal static class KeyRingServiceCollectionExtensions
{
    public static IServiceCollection AddDatabaseKeyRing(this IServiceCollection services)
    {
        services.TryAddSingleton<PostgreSqlDatabase>();
        services.TryAddSingleton<PostgreSqlXmlRepository>();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>, DatabaseKeyRingSetup>();
        services.AddHostedService<KeyRingInitializer>();
        return services;
    }
}
