using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Webhooks.Grains.Delivery;

namespace Webhooks.Grains.Storage.Sqlite;

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
