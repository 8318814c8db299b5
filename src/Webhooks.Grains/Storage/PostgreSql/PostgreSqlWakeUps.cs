using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Webhooks.Grains.Delivery;

namespace Webhooks.Grains.Storage.PostgreSql;

/// <summary>The wake-up list in PostgreSQL, one short statement per change.</summary>
internal sealed class PostgreSqlWakeUps(PostgreSqlDatabase database, IOptions<ClusterOptions> cluster) : IWakeUps
{
    private const string Add = "INSERT INTO webhookswakeups (serviceid, grainid) VALUES ($1, $2) ON CONFLICT DO NOTHING;";
    private const string Remove = "DELETE FROM webhookswakeups WHERE serviceid = $1 AND grainid = $2;";
    private const string Read = "SELECT grainid FROM webhookswakeups WHERE serviceid = $1;";

    private readonly NpgsqlDataSource _database = database.DataSource;
    private readonly string _serviceId = cluster.Value.ServiceId;

    public Task AddAsync(GrainId grain) => ExecuteAsync(Add, grain);

    public Task RemoveAsync(GrainId grain) => ExecuteAsync(Remove, grain);

    public async Task<IReadOnlyList<GrainId>> ReadAsync(CancellationToken cancellation)
    {
        await using var command = _database.CreateCommand(Read);
        command.Parameters.Add(new NpgsqlParameter { Value = _serviceId });
        await using var rows = await command.ExecuteReaderAsync(cancellation);
        var grains = new List<GrainId>();
        while (await rows.ReadAsync(cancellation))
        {
            grains.Add(GrainId.Parse(rows.GetString(0)));
        }

        return grains;
    }

    private async Task ExecuteAsync(string sql, GrainId grain)
    {
        await using var command = _database.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = _serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = grain.ToString() });
        await command.ExecuteNonQueryAsync();
    }
}
