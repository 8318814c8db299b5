using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Webhooks.Storage;

namespace Webhooks.Hosting;

/// <summary>Registers the webhook dispatcher in a silo, the project's own or a platform's.</summary>
public static class WebhooksSiloBuilderExtensions
{
    /// <summary>
    /// Adds the webhook grains' storage (JSON state in the configured database, schema applied at start-up)
    /// and their services to <paramref name="silo"/>.
    /// </summary>
    public static ISiloBuilder AddWebhooks(this ISiloBuilder silo, Action<StorageOptions>? configureStorage = null)
    {
        var storage = silo.Services.AddOptions<StorageOptions>()
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString), "A storage connection string is required (ConnectionStrings:Webhooks).")
            .ValidateOnStart();
        if (configureStorage is not null)
        {
            storage.Configure(configureStorage);
        }

        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SqliteSchemaInstaller>();
        silo.AddAdoNetGrainStorage(WebhookStorage.ProviderName, (OptionsBuilder<AdoNetGrainStorageOptions> ado) =>
            ado.Configure<IOptions<StorageOptions>>((ado, options) =>
            {
                ado.Invariant = "System.Data.SQLite";
                ado.ConnectionString = options.Value.ConnectionString;
                ado.GrainStorageSerializer = new JsonGrainStateSerializer();
            }));
        return silo;
    }
}
