using Webhooks.Grains.Tests.Reminders;

namespace Webhooks.Grains.Tests.PostgreSql;

/// <summary>A test-only grain with one persisted value (in the PostgreSQL storage) and reminders on request.</summary>
public interface IPostgreSqlProbeGrain : IGrainWithStringKey
{
    Task<string?> GetValueAsync();

    Task SetValueAsync(string value);

    Task StartReminderAsync(string reminderName, TimeSpan period);

    /// <summary>Unregisters the reminder; false when the grain has no reminder of that name.</summary>
    Task<bool> StopReminderAsync(string reminderName);
}

/// <summary>The probe's persisted state, stored as JSON.</summary>
public sealed class PostgreSqlProbeState
{
    public string? Value { get; set; }
}

public sealed class PostgreSqlProbeGrain(
    [PersistentState("probe", PostgreSqlClusterFixture.StorageName)] IPersistentState<PostgreSqlProbeState> state,
    ReminderTicks ticks) : Grain, IPostgreSqlProbeGrain, IRemindable
{
    public Task<string?> GetValueAsync() => Task.FromResult(state.State.Value);

    public async Task SetValueAsync(string value)
    {
        state.State.Value = value;
        await state.WriteStateAsync();
    }

    public Task StartReminderAsync(string reminderName, TimeSpan period) =>
        this.RegisterOrUpdateReminder(reminderName, TimeSpan.Zero, period);

    public async Task<bool> StopReminderAsync(string reminderName)
    {
        var reminder = await this.GetReminder(reminderName);
        if (reminder is null)
        {
            return false;
        }

        await this.UnregisterReminder(reminder);
        return true;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        ticks.Record(this.GetPrimaryKeyString(), reminderName);
        return Task.CompletedTask;
    }
}
