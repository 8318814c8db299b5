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
internal sealed class OutageReminderTable(IReminderTable inner, ReminderReadOutage outage) : DelegatingReminderTable(inner)
{
    public override Task<ReminderTableData> ReadRows(uint begin, uint end) => outage.ReadAsync(() => base.ReadRows(begin, end));
}

internal static class ReminderReadOutageSiloBuilderExtensions
{
    /// <summary>Puts the silo's reminder table (registered before this call) behind <paramref name="outage"/>.</summary>
    public static ISiloBuilder FailReminderReadsDuring(this ISiloBuilder silo, ReminderReadOutage outage) =>
        silo.WrapReminderTable(table => new OutageReminderTable(table, outage));
}
