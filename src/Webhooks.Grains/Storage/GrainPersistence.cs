namespace Webhooks.Grains.Storage;

/// <summary>
/// A grain's writes whose failure leaves its memory ahead of storage: the change is already applied in memory, and
/// the write may or may not have reached the database. The activation is dropped, so the next call starts from
/// what is actually stored; the failure still reaches the caller.
/// </summary>
internal static class GrainPersistence
{
    /// <summary>Runs <paramref name="write"/>; when it fails, deactivates <paramref name="grain"/> and rethrows.</summary>
    /// <param name="grain">The grain whose state the write stores.</param>
    /// <param name="write">The write.</param>
    public static async Task WriteOrDeactivateAsync(this IGrainBase grain, Func<Task> write)
    {
        try
        {
            await write();
        }
        catch
        {
            grain.DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>Writes <paramref name="state"/>; when that fails, deactivates <paramref name="grain"/> and rethrows.</summary>
    /// <param name="grain">The grain that owns the state.</param>
    /// <param name="state">The state to write.</param>
    public static Task WriteOrDeactivateAsync<T>(this IGrainBase grain, IPersistentState<T> state) =>
        grain.WriteOrDeactivateAsync(state.WriteStateAsync);
}
