using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace Webhooks.Grains.Storage.PostgreSql;

/// <summary>A deleted tenant's rows in PostgreSQL, removed on the server's own connections: one short transaction per batch.</summary>
internal sealed class PostgreSqlTenantRows(PostgreSqlDatabase database, IOptions<ClusterOptions> cluster) : ITenantRows
{
    private readonly string _serviceId = cluster.Value.ServiceId;

    public async Task<int> RemoveBatchAsync(TenantTable table, string owner, int limit)
    {
        await using var command = database.DataSource.CreateCommand(table.RemoveBatch);
        command.Parameters.Add(new NpgsqlParameter { Value = _serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = owner });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await command.ExecuteNonQueryAsync();
    }
}
