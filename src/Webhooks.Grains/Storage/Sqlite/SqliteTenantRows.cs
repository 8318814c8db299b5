using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Webhooks.Grains.Storage.Sqlite;

/// <summary>A deleted tenant's rows in the SQLite file, removed through the silo's one writer (a batch shares its commit).</summary>
internal sealed class SqliteTenantRows(SqliteWriter writer, SqliteDeliveryJournal journal, IOptions<ClusterOptions> cluster) : ITenantRows
{
    private readonly string _serviceId = cluster.Value.ServiceId;

    public Task<int> RemoveBatchAsync(TenantTable table, string owner, int limit) =>
        writer.ExecuteAsync(s =>
        {
            journal.Fold(s); // a listener's deliveries may still be in the journal
            return s.Execute(table.RemoveBatch, _serviceId, owner, limit);
        });
}
