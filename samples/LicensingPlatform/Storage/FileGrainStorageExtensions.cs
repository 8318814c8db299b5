using Orleans.Storage;

namespace LicensingPlatform.Storage;

/// <summary>Registers <see cref="FileGrainStorage"/> under a name of the platform's choosing.</summary>
public static class FileGrainStorageExtensions
{
    /// <summary>Grains that name <paramref name="name"/> in <c>[PersistentState]</c> keep their state in <paramref name="folder"/>.</summary>
    public static ISiloBuilder AddFileGrainStorage(this ISiloBuilder silo, string name, string folder)
    {
        silo.Services.AddKeyedSingleton<IGrainStorage>(name, (_, _) => new FileGrainStorage(Path.GetFullPath(folder)));
        return silo;
    }
}
