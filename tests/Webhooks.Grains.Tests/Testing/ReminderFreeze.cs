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
internal sealed class FreezableReminderTable(IReminderTable inner, ReminderFreeze freeze) : DelegatingReminderTable(inner)
{
    public override Task<string?> UpsertRow(ReminderEntry entry) => freeze.UpsertAsync(entry, () => base.UpsertRow(entry));
}

internal static class ReminderFreezeSiloBuilderExtensions
{
    /// <summary>Puts the silo's reminder table (registered before this call) behind <paramref name="freeze"/>.</summary>
    public static ISiloBuilder FreezeRemindersOn(this ISiloBuilder silo, ReminderFreeze freeze) =>
        silo.WrapReminderTable(table => new FreezableReminderTable(table, freeze));
}
