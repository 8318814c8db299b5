using System.Text.Json;
using Orleans.Storage;

namespace LicensingPlatform.Storage;

/// <summary>
/// The platform's own grain storage: one JSON file per grain and state name in a folder, nothing shared with the
/// dispatcher. A write goes to a temporary file, is flushed to disk, then renamed over the old one, so a process killed
/// at any point leaves either the old state or the new one. The ETag is a version number kept in the file; a write
/// against a version that is no longer stored fails with <see cref="InconsistentStateException"/>.
/// </summary>
public sealed class FileGrainStorage(string folder) : IGrainStorage
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var stored = await ReadAsync<T>(PathOf(stateName, grainId));
        grainState.State = stored is null ? Activator.CreateInstance<T>() : stored.State;
        grainState.ETag = stored?.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = stored is not null;
    }

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        var version = await CheckVersionAsync<T>(path, grainState.ETag) + 1;
        Directory.CreateDirectory(folder);
        var temporary = path + ".tmp";
        await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            await JsonSerializer.SerializeAsync(file, new StoredState<T>(version, grainState.State!), Json);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        grainState.ETag = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        await CheckVersionAsync<T>(path, grainState.ETag);
        File.Delete(path);
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private async Task<long> CheckVersionAsync<T>(string path, string? expected)
    {
        var stored = (await ReadAsync<T>(path))?.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (stored != expected)
        {
            throw new InconsistentStateException($"The state in {Path.GetFileName(path)} was changed by another writer.", stored, expected);
        }

        return stored is null ? 0 : long.Parse(stored, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<StoredState<T>?> ReadAsync<T>(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        await using var file = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<StoredState<T>>(file, Json);
    }

    // "entitlement/cus_1/ent_1" + "entitlement" → "entitlement%2Fcus_1%2Fent_1.entitlement.json": one flat folder, no path tricks.
    private string PathOf(string stateName, GrainId grainId) =>
        Path.Combine(folder, $"{Uri.EscapeDataString(grainId.ToString())}.{Uri.EscapeDataString(stateName)}.json");

    private sealed record StoredState<T>(long Version, T State);
}
