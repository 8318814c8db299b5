using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Testing;

/// <summary>
/// Once armed, a silo's reminder table stops storing: every upsert from then on never completes, as when the
/// process dies before the row is written. Reads and removals go through untouched.
/// </summary>
internal sealed class ReminderFreeze
{
    private static readonly Task<string?> Frozen = new TaskCompletionSource<string?>().Task;

    private readonly TaskCompletionSource<ReminderEntry> _frozenUpsert = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _armed;

    /// <summary>Completes with the first upsert that froze.</summary>
    public Task<ReminderEntry> FrozenUpsert => _frozenUpsert.Task;

    public void Arm() => _armed = true;

    internal Task<string?> UpsertAsync(ReminderEntry entry, Func<Task<string?>> upsert)
    {
        if (!_armed)
        {
            return upsert();
        }

        _frozenUpsert.TrySetResult(entry);
        return Frozen;
    }
}

/// <summary>The silo's reminder table behind a <see cref="ReminderFreeze"/>.</summary>
internal sealed class FreezableReminderTable(IReminderTable inner, ReminderFreeze freeze) : IReminderTable
{
    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => inner.StopAsync(cancellationToken);

    public Task<ReminderTableData> ReadRows(GrainId grainId) => inner.ReadRows(grainId);

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => inner.ReadRows(begin, end);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => inner.ReadRow(grainId, reminderName);

    public Task<string?> UpsertRow(ReminderEntry entry) => freeze.UpsertAsync(entry, () => inner.UpsertRow(entry));

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) => inner.RemoveRow(grainId, reminderName, eTag);

    public Task TestOnlyClearTable() => inner.TestOnlyClearTable();
}

internal static class ReminderFreezeSiloBuilderExtensions
{
    /// <summary>Puts the silo's reminder table (registered before this call) behind <paramref name="freeze"/>.</summary>
    public static ISiloBuilder FreezeRemindersOn(this ISiloBuilder silo, ReminderFreeze freeze)
    {
        var services = silo.Services;
        var table = services.Last(d => d.ServiceType == typeof(IReminderTable) && !d.IsKeyedService);
        services.Remove(table);
        services.AddSingleton<IReminderTable>(sp => new FreezableReminderTable(Create(sp, table), freeze));
        return silo;
    }

    private static IReminderTable Create(IServiceProvider services, ServiceDescriptor table) =>
        (IReminderTable)(table.ImplementationInstance
            ?? table.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, table.ImplementationType!));
}
