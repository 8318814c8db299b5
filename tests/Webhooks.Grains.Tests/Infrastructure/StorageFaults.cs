namespace Webhooks.Grains.Tests.Infrastructure;

/// <summary>
/// Faults armed on one silo's <c>webhooks</c> storage. A crash freezes the storage at the chosen write: that
/// write and every storage call after it never complete, so nothing the silo does from then on reaches the
/// database, exactly as if the process had died just before the write.
/// </summary>
internal sealed class StorageFaults
{
    // Awaited by every storage call once the silo has "crashed"; it never completes.
    private static readonly Task Frozen = new TaskCompletionSource().Task;

    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<StorageWrite> _crashed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<StorageWrite> _writes = [];
    private Func<StorageWrite, bool>? _crashWhen;
    private (Func<StorageWrite, bool> When, bool AfterWriting)? _failure;

    /// <summary>Completes with the write the silo froze at.</summary>
    public Task<StorageWrite> Crashed => _crashed.Task;

    /// <summary>Every write that was attempted, in order, including the one frozen or failed.</summary>
    public IReadOnlyList<StorageWrite> Writes
    {
        get
        {
            lock (_gate)
            {
                return [.. _writes];
            }
        }
    }

    /// <summary>Freezes the storage at the first write that matches <paramref name="when"/>.</summary>
    public void CrashOn(Func<StorageWrite, bool> when)
    {
        lock (_gate)
        {
            _crashWhen = when;
        }
    }

    /// <summary>
    /// Fails the first write that matches <paramref name="when"/>, either before it reaches the database or after
    /// (the row is written, but the caller is told it was not, as when a connection drops before the reply).
    /// </summary>
    public void FailOnce(Func<StorageWrite, bool> when, bool afterWriting)
    {
        lock (_gate)
        {
            _failure = (when, afterWriting);
        }
    }

    internal Task BeforeReadAsync() => _crashed.Task.IsCompleted ? Frozen : Task.CompletedTask;

    internal WriteFault OnWrite(StorageWrite write)
    {
        lock (_gate)
        {
            if (_crashed.Task.IsCompleted)
            {
                return WriteFault.Freeze;
            }

            _writes.Add(write);
            if (_crashWhen is { } crashWhen && crashWhen(write))
            {
                _crashWhen = null;
                _crashed.SetResult(write);
                return WriteFault.Freeze;
            }

            if (_failure is { } failure && failure.When(write))
            {
                _failure = null;
                return failure.AfterWriting ? WriteFault.FailAfterWriting : WriteFault.FailBeforeWriting;
            }

            return WriteFault.None;
        }
    }

    internal static Task FreezeAsync() => Frozen;

    /// <summary>Applies what is armed before <paramref name="write"/> reaches the database: freeze, fail, or let it through.</summary>
    internal async Task<WriteFault> BeforeWriteAsync(StorageWrite write)
    {
        var fault = OnWrite(write);
        switch (fault)
        {
            case WriteFault.Freeze:
                await FreezeAsync();
                break;
            case WriteFault.FailBeforeWriting:
                throw new InjectedStorageFailureException($"Injected failure before writing {write.StateName} of {write.GrainId}.");
        }

        return fault;
    }

    /// <summary>Reports a failure armed to strike once <paramref name="write"/> has landed.</summary>
    internal static void AfterWrite(WriteFault fault, StorageWrite write)
    {
        if (fault == WriteFault.FailAfterWriting)
        {
            throw new InjectedStorageFailureException($"Injected failure after writing {write.StateName} of {write.GrainId}.");
        }
    }
}

/// <summary>A grain's attempt to write its state. <see cref="State"/> is the live state object, as the grain left it; null for a clear.</summary>
internal sealed record StorageWrite(string StateName, GrainId GrainId, object? State)
{
    /// <summary>The grain's string key, e.g. a listener id.</summary>
    public string GrainKey => GrainId.Key.ToString()!;
}

internal enum WriteFault
{
    None,
    Freeze,
    FailBeforeWriting,
    FailAfterWriting,
}

/// <summary>The error an armed failure reports, standing in for a database or network error.</summary>
internal sealed class InjectedStorageFailureException(string message) : Exception(message);
