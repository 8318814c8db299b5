using System.Globalization;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;

namespace Webhooks.Grains.Storage.Sqlite;

/// <summary>
/// Grain state in the SQLite file (table <c>WebhooksGrainState</c>, schema 003), written through the silo's
/// <see cref="SqliteWriter"/> so that concurrent writes of many grains share one commit. Same contract as
/// Orleans' providers: the ETag is the row's version, and a write or clear against a version that is no longer
/// stored fails with <see cref="InconsistentStateException"/>.
/// </summary>
internal sealed class SqliteGrainStorage(SqliteWriter writer, IGrainStorageSerializer serializer, IOptions<ClusterOptions> cluster)
    : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private const string Select = "SELECT Payload, Version FROM WebhooksGrainState WHERE ServiceId = $1 AND GrainId = $2 AND StateName = $3;";

    private const string Insert = """
        INSERT INTO WebhooksGrainState (ServiceId, GrainId, StateName, Payload, Version, ModifiedOn)
        VALUES ($1, $2, $3, $4, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        ON CONFLICT DO NOTHING RETURNING Version;
        """;

    private const string Update = """
        UPDATE WebhooksGrainState SET Payload = $4, Version = Version + 1, ModifiedOn = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        WHERE ServiceId = $1 AND GrainId = $2 AND StateName = $3 AND Version = $5
        RETURNING Version;
        """;

    private const string Delete = "DELETE FROM WebhooksGrainState WHERE ServiceId = $1 AND GrainId = $2 AND StateName = $3 AND Version = $4;";

    private readonly string _serviceId = cluster.Value.ServiceId;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var stored = writer.Read(Select, static row => row.Read() ? ((byte[])row.GetValue(0), row.GetInt64(1)) : default((byte[], long)?), _serviceId, grainId.ToString(), stateName);
        if (stored is var (payload, version))
        {
            grainState.State = serializer.Deserialize<T>(new BinaryData(payload));
            grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // Serialized now, on the grain's turn: the grain may change its state again while the write waits.
        var payload = serializer.Serialize(grainState.State).ToArray();
        var id = grainId.ToString();
        var expected = grainState.ETag;
        var version = await writer.ExecuteAsync(s => expected is null
            ? s.Scalar(Insert, _serviceId, id, stateName, payload)
            : s.Scalar(Update, _serviceId, id, stateName, payload, long.Parse(expected, CultureInfo.InvariantCulture)));
        if (version is null)
        {
            throw new InconsistentStateException($"The {stateName} state of {grainId} was changed by another writer (expected version {expected ?? "none"}).", "unknown", expected);
        }

        grainState.ETag = Convert.ToString(version, CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainState.ETag is { } expected)
        {
            var id = grainId.ToString();
            var deleted = await writer.ExecuteAsync(s => s.Execute(Delete, _serviceId, id, stateName, long.Parse(expected, CultureInfo.InvariantCulture)));
            if (deleted == 0)
            {
                throw new InconsistentStateException($"The {stateName} state of {grainId} was changed by another writer (expected version {expected}).", "unknown", expected);
            }
        }

        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    // Orleans' registration of the ADO.NET provider (kept for PostgreSQL) resolves its lifecycle participant
    // through this keyed service; the writer starts on first use and needs no stage of its own.
    public void Participate(ISiloLifecycle lifecycle)
    {
    }
}
