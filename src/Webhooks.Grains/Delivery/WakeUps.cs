using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Webhooks.Grains.Storage;

namespace Webhooks.Grains.Delivery;

/// <summary>
/// The dispatcher's wake-up list (table <c>WebhooksWakeUps</c>): the grains with work that must resume after a
/// restart, each named once. <see cref="PendingWakeUp"/> reads it and wakes them; the grains add and remove themselves.
/// It stands in for Orleans reminders, so the dispatcher brings no reminder service into a host's silo.
/// </summary>
public interface IWakeUps
{
    /// <summary>Stores <paramref name="grain"/> in the list; completes once it is on storage. Adding it twice is one row.</summary>
    Task AddAsync(GrainId grain);

    /// <summary>Removes <paramref name="grain"/> from the list, if it is there.</summary>
    Task RemoveAsync(GrainId grain);

    /// <summary>Every grain in the list.</summary>
    Task<IReadOnlyList<GrainId>> ReadAsync(CancellationToken cancellation);
}

/// <summary>The wake-up list in the SQLite file, written through the silo's one <see cref="SqliteWriter"/>.</summary>
internal sealed class SqliteWakeUps(SqliteWriter writer, IOptions<ClusterOptions> cluster, TimeProvider time) : IWakeUps
{
    private const string Add = "INSERT OR IGNORE INTO WebhooksWakeUps (ServiceId, GrainId, Since) VALUES ($1, $2, $3);";
    private const string Remove = "DELETE FROM WebhooksWakeUps WHERE ServiceId = $1 AND GrainId = $2;";
    private const string Read = "SELECT GrainId FROM WebhooksWakeUps WHERE ServiceId = $1;";

    private readonly string _serviceId = cluster.Value.ServiceId;

    public Task AddAsync(GrainId grain) =>
        writer.ExecuteAsync(s => s.Execute(Add, _serviceId, grain.ToString(), time.GetUtcNow().ToUnixTimeMilliseconds()));

    public Task RemoveAsync(GrainId grain) => writer.ExecuteAsync(s => s.Execute(Remove, _serviceId, grain.ToString()));

    public Task<IReadOnlyList<GrainId>> ReadAsync(CancellationToken cancellation) =>
        Task.FromResult(writer.Read(Read, static rows =>
        {
            var grains = new List<GrainId>();
            while (rows.Read())
            {
                grains.Add(GrainId.Parse(rows.GetString(0)));
            }

            return (IReadOnlyList<GrainId>)grains;
        }, _serviceId));
}

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
