namespace Webhooks.Grains.Delivery;

/// <summary>
/// Serializes and batches writes of one grain state: at most one write is in flight, and every change made
/// while it is shares the single write that follows it (group commit). A caller's task completes once a
/// write that started after its change has landed. Grain code is single-threaded, so no locks are needed.
/// </summary>
/// <remarks>
/// Not a <see cref="Storage.GroupCommit{TWrite}"/>: nothing is queued here, the write reads the grain's state when it
/// starts, so any number of changes collapse into one write of the latest state, and it runs on the grain's turn.
/// The store underneath may still share that write's commit with other grains' through its own group commit.
/// </remarks>
internal sealed class CoalescingWriter(Func<Task> write)
{
    private Task? _running;
    private Task? _queued;

    /// <summary>Completes when the writes started or queued so far have ended (landed or failed).</summary>
    public Task Idle => _queued ?? _running ?? Task.CompletedTask;

    public Task WriteAsync()
    {
        if (_queued is not null)
        {
            return _queued;
        }

        if (_running is null || _running.IsCompleted)
        {
            return _running = write();
        }

        return _queued = WriteAfterAsync(_running);
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
        var next = write();
        _running = next;
        await next;
    }
}
