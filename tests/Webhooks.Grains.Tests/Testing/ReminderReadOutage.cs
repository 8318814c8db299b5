using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Testing;

/// <summary>
/// While on, a silo's reminder table fails every read by hash range, as when the database is not reachable yet;
/// everything else goes through to the real table.
/// </summary>
internal sealed class ReminderReadOutage
{
    private volatile bool _on = true;
    private int _failedReads;

    /// <summary>Range reads failed so far.</summary>
    public int FailedReads => Volatile.Read(ref _failedReads);

    public void End() => _on = false;

    internal Task<ReminderTableData> ReadAsync(Func<Task<ReminderTableData>> read)
    {
        if (!_on)
        {
            return read();
        }

        Interlocked.Increment(ref _failedReads);
        return Task.FromException<ReminderTableData>(new TimeoutException("The reminder table is unreachable (test outage)."));
    }
}

/// <summary>The silo's reminder table behind a <see cref="ReminderReadOutage"/>.</summary>
internal sealed class OutageReminderTable(IReminderTable inner, ReminderReadOutage outage) : IReminderTable
{
    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => inner.StopAsync(cancellationToken);

    public Task<ReminderTableData> ReadRows(GrainId grainId) => inner.ReadRows(grainId);

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => outage.ReadAsync(() => inner.ReadRows(begin, end));

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => inner.ReadRow(grainId, reminderName);

    public Task<string?> UpsertRow(ReminderEntry entry) => inner.UpsertRow(entry);

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) => inner.RemoveRow(grainId, reminderName, eTag);

    public Task TestOnlyClearTable() => inner.TestOnlyClearTable();
}

internal static class ReminderReadOutageSiloBuilderExtensions
{
    /// <summary>Puts the silo's reminder table (registered before this call) behind <paramref name="outage"/>.</summary>
    public static ISiloBuilder FailReminderReadsDuring(this ISiloBuilder silo, ReminderReadOutage outage)
    {
        var services = silo.Services;
        var table = services.Last(d => d.ServiceType == typeof(IReminderTable) && !d.IsKeyedService);
        services.Remove(table);
        services.AddSingleton<IReminderTable>(sp => new OutageReminderTable(
            (IReminderTable)(table.ImplementationInstance
                ?? table.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, table.ImplementationType!)),
            outage));
        return silo;
    }
}
