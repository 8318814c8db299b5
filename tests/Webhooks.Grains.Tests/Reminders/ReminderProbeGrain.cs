namespace Webhooks.Grains.Tests.Reminders;

/// <summary>A test-only grain that registers reminders on request and reports every tick it receives.</summary>
public interface IReminderProbeGrain : IGrainWithStringKey
{
    Task RegisterAsync(string reminderName, TimeSpan dueTime, TimeSpan period);

    /// <summary>Unregisters the reminder; false when the grain has no reminder of that name.</summary>
    Task<bool> UnregisterAsync(string reminderName);
}

public sealed class ReminderProbeGrain(ReminderTicks ticks) : Grain, IReminderProbeGrain, IRemindable
{
    public Task RegisterAsync(string reminderName, TimeSpan dueTime, TimeSpan period) =>
        this.RegisterOrUpdateReminder(reminderName, dueTime, period);

    public async Task<bool> UnregisterAsync(string reminderName)
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

/// <summary>
/// The ticks one cluster delivered to <see cref="ReminderProbeGrain"/>s, registered as a silo singleton. Each cluster
/// gets its own instance, so a tick seen here was delivered by that cluster.
/// </summary>
public sealed class ReminderTicks
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string GrainKey, string ReminderName), int> _counts = [];
    private readonly List<Waiter> _waiters = [];

    public void Record(string grainKey, string reminderName)
    {
        lock (_lock)
        {
            var key = (grainKey, reminderName);
            var count = _counts[key] = _counts.GetValueOrDefault(key) + 1;
            foreach (var waiter in _waiters.Where(w => w.Key == key && w.Count <= count).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Reached.TrySetResult();
            }
        }
    }

    public int Count(string grainKey, string reminderName)
    {
        lock (_lock)
        {
            return _counts.GetValueOrDefault((grainKey, reminderName));
        }
    }

    /// <summary>Completes once the reminder has ticked <paramref name="count"/> times in total; fails after <paramref name="timeout"/>.</summary>
    public async Task WaitForTicksAsync(string grainKey, string reminderName, int count, TimeSpan timeout)
    {
        Task reached;
        lock (_lock)
        {
            if (_counts.GetValueOrDefault((grainKey, reminderName)) >= count)
            {
                return;
            }

            var waiter = new Waiter((grainKey, reminderName), count, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            _waiters.Add(waiter);
            reached = waiter.Reached.Task;
        }

        try
        {
            await reached.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"Reminder '{reminderName}' of '{grainKey}' ticked {Count(grainKey, reminderName)} time(s) within {timeout}; expected {count}.");
        }
    }

    private sealed record Waiter((string GrainKey, string ReminderName) Key, int Count, TaskCompletionSource Reached);
}
