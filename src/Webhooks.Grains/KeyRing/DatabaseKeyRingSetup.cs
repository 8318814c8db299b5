using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Webhooks.Grains.Storage;
using Webhooks.Grains.Storage.PostgreSql;

namespace Webhooks.Grains.KeyRing;

/// <summary>
/// On PostgreSQL, points Data Protection's key manager at <see cref="PostgreSqlXmlRepository"/>. A host that
/// persists keys elsewhere after <c>AddWebhooks</c> (a later <c>PersistKeysTo…</c>) still wins: options
/// configuration runs in registration order.
/// </summary>
internal sealed class DatabaseKeyRingSetup(IOptions<StorageOptions> storage, IServiceProvider services) : IConfigureOptions<KeyManagementOptions>
{
    public void Configure(KeyManagementOptions options)
    {
        // Resolved only in PostgreSQL mode: the repository's data source cannot parse a SQLite connection string.
        if (storage.Value.Provider == StorageProvider.PostgreSql)
        {
            options.XmlRepository = services.GetRequiredService<PostgreSqlXmlRepository>();
        }
    }
}
