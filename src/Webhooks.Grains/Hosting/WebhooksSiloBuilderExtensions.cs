using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;
using Webhooks.Abstractions.Limits;
using Webhooks.Abstractions.Publishing;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Delivery.Http;
using Webhooks.Grains.Delivery.Log;
using Webhooks.Grains.KeyRing;
using Webhooks.Grains.Publishing;
using Webhooks.Grains.Retention;
using Webhooks.Grains.Signing;
using Webhooks.Grains.Storage;
using Webhooks.Grains.Storage.PostgreSql;
using Webhooks.Grains.Storage.Sqlite;
using Webhooks.Grains.Telemetry;

namespace Webhooks.Grains.Hosting;

/// <summary>Registers the webhook dispatcher in a silo, the project's own or a platform's.</summary>
public static class WebhooksSiloBuilderExtensions
{
    /// <summary>
    /// Adds the webhook grains' storage (JSON state in the configured database, schema applied at start-up) and their
    /// services to <paramref name="silo"/>. Nothing the host owns is replaced: the dispatcher brings no reminder
    /// service and uses none (its grains resume their work from its own wake-up list, <see cref="IWakeUps"/>), so a
    /// host's reminders, or its having none, stay as they are. On PostgreSQL the Data Protection key ring lives in the database too, unless the host
    /// persists it elsewhere afterwards; on SQLite the host persists it (the server: a folder beside the database).
    /// Outside Development a silo whose key ring has no location refuses to start.
    /// </summary>
    public static ISiloBuilder AddWebhooks(this ISiloBuilder silo, Action<StorageOptions>? configureStorage = null)
    {
        var storage = silo.Services.AddSelfValidatingOptions<StorageOptions>();
        if (configureStorage is not null)
        {
            storage.Configure(configureStorage);
        }

        silo.Services.AddWebhooksLimits();
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.AddDataProtection();
        silo.Services.AddDatabaseKeyRing();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, KeyRingLocationCheck>();
        silo.Services.TryAddSingleton<SecretProtector>();
        silo.Services.TryAddSingleton<SignedBodies>();
        silo.Services.AddSelfValidatingOptions<SigningOptions>().BindConfiguration(SigningOptions.Section);
        silo.Services.AddMetrics();
        silo.Services.TryAddSingleton<WebhooksMetrics>();
        silo.Services.AddWebhookPublishing();
        silo.Services.AddDeliverySender();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SqliteSchemaInstaller>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, PostgreSqlSchemaInstaller>();
        silo.AddAdoNetGrainStorage(WebhooksStorage.ProviderName, (OptionsBuilder<AdoNetGrainStorageOptions> ado) =>
            ado.Configure<IOptions<StorageOptions>>((ado, options) =>
            {
                ado.Invariant = StorageConnections.Invariant(options.Value.Provider);
                ado.ConnectionString = options.Value.ConnectionString;
                ado.GrainStorageSerializer = new JsonGrainStateSerializer();
                ado.DeleteStateOnClear = true; // as on SQLite: a deleted tenant's grains leave no row behind
            }));

        // On SQLite, grain state and the delivery log go through one writer that commits many grains' writes
        // together (SqliteWriter); Orleans' ADO.NET provider, a connection per write, serves PostgreSQL. This
        // registration comes last, so it is the one Orleans resolves for the "webhooks" name.
        silo.Services.TryAddSingleton<SqliteWriter>();
        silo.Services.TryAddSingleton<SqliteDeliveryJournal>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SqliteJournalFoldAtStop>();
        silo.Services.TryAddSingleton<PostgreSqlDatabase>();
        silo.Services.AddKeyedSingleton<IGrainStorage>(WebhooksStorage.ProviderName, (sp, key) =>
            IsSqlite(sp)
                ? ActivatorUtilities.CreateInstance<SqliteGrainStorage>(sp, new JsonGrainStateSerializer())
                : AdoNetGrainStorageFactory.Create(sp, (string)key!));
        silo.Services.TryAddSingleton<IDeliveryLog>(sp =>
            IsSqlite(sp)
                ? ActivatorUtilities.CreateInstance<SqliteDeliveryLog>(sp)
                : ActivatorUtilities.CreateInstance<PostgreSqlDeliveryLog>(sp));
        silo.Services.TryAddSingleton<ITenantRows>(sp =>
            IsSqlite(sp)
                ? ActivatorUtilities.CreateInstance<SqliteTenantRows>(sp)
                : ActivatorUtilities.CreateInstance<PostgreSqlTenantRows>(sp));
        silo.Services.TryAddSingleton<IAcceptedEvents>(sp =>
            IsSqlite(sp)
                ? ActivatorUtilities.CreateInstance<SqliteAcceptedEvents>(sp)
                : ActivatorUtilities.CreateInstance<PostgreSqlAcceptedEvents>(sp));

        // The dispatcher's own wake-up list stands in for reminders, so the host's reminder service (or its having
        // none) is left alone.
        silo.Services.TryAddSingleton<IWakeUps>(sp =>
            IsSqlite(sp)
                ? ActivatorUtilities.CreateInstance<SqliteWakeUps>(sp)
                : ActivatorUtilities.CreateInstance<PostgreSqlWakeUps>(sp));

        // Runs once the silo is active, so storage and grain calls are ready; it does not hold up the start.
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, PendingWakeUp>();

        silo.Services.AddSelfValidatingOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section);
        silo.Services.TryAddSingleton<IRetentionStore>(sp =>
            IsSqlite(sp)
                ? ActivatorUtilities.CreateInstance<SqliteRetentionStore>(sp)
                : ActivatorUtilities.CreateInstance<PostgreSqlRetentionStore>(sp));
        silo.Services.TryAddSingleton<RetentionSweeper>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<RetentionSweeper>());

        return silo;
    }

    private static bool IsSqlite(IServiceProvider services) =>
        services.GetRequiredService<IOptions<StorageOptions>>().Value.Provider == StorageProvider.Sqlite;
}
