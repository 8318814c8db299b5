using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Grains.Tests.Infrastructure;

/// <summary>A reminder table that passes every call to the silo's real one; a fault overrides the calls it breaks.</summary>
internal abstract class DelegatingReminderTable(IReminderTable inner) : IReminderTable
{
    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => inner.StopAsync(cancellationToken);

    public Task<ReminderTableData> ReadRows(GrainId grainId) => inner.ReadRows(grainId);

    public virtual Task<ReminderTableData> ReadRows(uint begin, uint end) => inner.ReadRows(begin, end);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => inner.ReadRow(grainId, reminderName);

    public virtual Task<string?> UpsertRow(ReminderEntry entry) => inner.UpsertRow(entry);

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) => inner.RemoveRow(grainId, reminderName, eTag);

    public Task TestOnlyClearTable() => inner.TestOnlyClearTable();
}

internal static class DelegatingReminderTableSiloBuilderExtensions
{
    /// <summary>Puts the silo's reminder table (registered before this call) behind the table <paramref name="wrap"/> makes of it.</summary>
    public static ISiloBuilder WrapReminderTable(this ISiloBuilder silo, Func<IReminderTable, DelegatingReminderTable> wrap)
    {
        var services = silo.Services;
        var table = services.Last(d => d.ServiceType == typeof(IReminderTable) && !d.IsKeyedService);
        services.Remove(table);
        services.AddSingleton<IReminderTable>(sp => wrap((IReminderTable)(table.ImplementationInstance
            ?? table.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, table.ImplementationType!))));
        return silo;
    }
}
