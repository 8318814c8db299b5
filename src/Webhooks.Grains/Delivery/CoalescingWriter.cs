namespace Webhooks.Grains.Delivery;

/// <summary>
/// Serializes and batches writes of one grain state: a write waits for the ones in flight, and every change made
/// while they are shares the single write that follows them (group commit). A caller's task completes once a write
/// that started after its change has landed. Grain code is single-threaded, so no locks are needed.
/// </summary>
/// <remarks>
/// <para>
/// Not a <see cref="Storage.GroupCommit{TWrite}"/>: nothing is queued here, the write reads the grain's state when it
/// starts, so any number of changes collapse into one write of the latest state, and it runs on the grain's turn.
/// The store underneath may still share that write's commit with other grains' through its own group commit.
/// </para>
/// <para>
/// A caller that cannot wait behind the writes in flight (a publish, answered only once its delivery is stored) asks
/// for a write <em>alongside</em> them: it starts at once, through the second delegate, and carries the changes made
/// so far. That is only sound when the store applies one grain's writes in the order they were started, whether or
/// not the one before has completed (<see cref="Log.IDeliveryLog.SaveAsync"/> promises it), and when the write
/// alongside leaves out whatever cannot be written twice at once (the grain state with its ETag): the next ordinary
/// write takes that.
/// </para>
/// </remarks>
internal sealed class CoalescingWriter(Func<Task> write, Func<Task>? writeAlongside = null)
{
    private readonly List<Task> _running = [];
    private Task? _queued;

    /// <summary>Completes when the writes started or queued so far have ended (landed or failed).</summary>
    public Task Idle => Running() == 0
        ? _queued ?? Task.CompletedTask
        : Task.WhenAll(_queued is null ? _running : [.. _running, _queued]);

    /// <summary>A write after the ones in flight, shared with every caller until it starts.</summary>
    public Task WriteAsync()
    {
        if (_queued is not null)
        {
            return _queued;
        }

        return Running() == 0 ? Start(write) : _queued = WriteAfterAsync(Task.WhenAll(_running));
    }

    /// <summary>A write that starts now, beside the ones in flight (or an ordinary one when none is).</summary>
    public Task WriteAlongsideAsync() =>
        writeAlongside is null || Running() == 0 ? WriteAsync() : Start(writeAlongside);

    private Task Start(Func<Task> how)
    {
        var started = how();
        if (!started.IsCompleted)
        {
            _running.Add(started);
        }

        return started;
    }

    private int Running()
    {
        _running.RemoveAll(static t => t.IsCompleted);
        return _running.Count;
    }

    private async Task WriteAfterAsync(Task running)
    {
        try
        {
            await running;
        }
        catch
        {
            // That write's failure is reported to its own callers; this one carries later changes regardless.
        }

        _queued = null;
        await Start(write);
    }
}
