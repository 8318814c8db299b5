using System.Collections.Concurrent;

namespace Webhooks.Grains.Storage;

/// <summary>
/// Group commit: writers queue their writes, whatever is queued when the flush comes round is stored as one batch
/// (at most a given number of writes), and only then are the writers' tasks completed. A write is acknowledged only
/// once it is committed; it shares the commit with its neighbours, so batches grow with the load and a lone write on
/// an idle store is committed at once. One batch is flushed at a time.
/// </summary>
/// <remarks>
/// <para>
/// A batch whose flush fails is, when the failure can be one write's fault, flushed again one write at a time, so one
/// bad write fails none of its neighbours; otherwise (the store cannot be reached, say) its writes fail together at once.
/// </para>
/// <para>
/// Two ways to run the flushes, chosen by the store: <see cref="OnDedicatedThread"/>, a thread of its own that owns
/// the flush (and its connection) and that the writers wake themselves, for a synchronous store such as SQLite; and
/// <see cref="OnDemand"/>, an asynchronous drain started on the thread pool when a write finds none running and
/// ending when the queue is empty.
/// </para>
/// </remarks>
internal sealed class GroupCommit<TWrite> : IDisposable
    where TWrite : IGroupCommitWrite
{
    private readonly ConcurrentQueue<TWrite> _queue = new();
    private readonly int _maxBatch;
    private readonly string _owner;
    private volatile bool _stopping;

    // On a dedicated thread. Not a Channel: its waiter is woken through the thread pool, and under load the pool's
    // queue delays every batch. The thread waits on an event the writers set themselves.
    private readonly Func<IGroupCommitFlush<TWrite>>? _open;
    private readonly string? _threadName;
    private readonly ManualResetEventSlim? _queued;
    private readonly Lock _startGate = new();
    private volatile bool _ended;
    private Thread? _thread;

    // On demand.
    private readonly IGroupCommitFlush<TWrite>? _flush;
    private int _draining;

    private GroupCommit(string owner, int maxBatch, Func<IGroupCommitFlush<TWrite>>? open, string? threadName, IGroupCommitFlush<TWrite>? flush)
    {
        (_owner, _maxBatch, _open, _threadName, _flush) = (owner, maxBatch, open, threadName, flush);
        _queued = open is null ? null : new ManualResetEventSlim();
    }

    /// <summary>
    /// Flushes on a thread of its own, named <paramref name="threadName"/> and started with the first write, which
    /// calls <paramref name="open"/> once and flushes through what it returns (disposed, if it is disposable, when the
    /// thread ends). <paramref name="owner"/> names the store in the <see cref="ObjectDisposedException"/> of writes
    /// queued after <see cref="Dispose"/>.
    /// </summary>
    public static GroupCommit<TWrite> OnDedicatedThread(string owner, string threadName, int maxBatch, Func<IGroupCommitFlush<TWrite>> open) =>
        new(owner, maxBatch, open, threadName, flush: null);

    /// <summary>Flushes through <paramref name="flush"/> on the thread pool, while there are writes to flush.</summary>
    public static GroupCommit<TWrite> OnDemand(string owner, int maxBatch, IGroupCommitFlush<TWrite> flush) =>
        new(owner, maxBatch, open: null, threadName: null, flush);

    /// <summary>Queues <paramref name="write"/> for the next batch; the write completes or fails it once that batch is flushed.</summary>
    public void Enqueue(TWrite write)
    {
        if (_stopping)
        {
            throw new ObjectDisposedException(_owner);
        }

        _queue.Enqueue(write);
        if (_queued is null)
        {
            if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
            {
                _ = Task.Run(DrainAsync);
            }

            return;
        }

        EnsureStarted();
        _queued.Set();
        if (_ended)
        {
            FailQueued(); // Dispose ran between the check above and the enqueue: no thread is left to flush this write
        }
    }

    /// <summary>
    /// Refuses further writes; on a dedicated thread, also flushes what is queued and waits for the thread to end.
    /// </summary>
    public void Dispose()
    {
        _stopping = true;
        if (_queued is null)
        {
            return;
        }

        _queued.Set();

        // A continuation of the last write may be what is disposing us, running on the flushing thread itself.
        if (_thread is { } thread && thread != Thread.CurrentThread)
        {
            thread.Join();
        }
    }

    private void EnsureStarted()
    {
        if (_thread is not null)
        {
            return;
        }

        lock (_startGate)
        {
            if (_thread is null)
            {
                var thread = new Thread(Run) { IsBackground = true, Name = _threadName };
                thread.Start();
                _thread = thread;
            }
        }
    }

    private void Run()
    {
        var flush = _open!();
        try
        {
            var batch = new List<TWrite>(_maxBatch);
            while (true)
            {
                // Reset before draining: a write queued after the reset sets the event again, so none is missed.
                _queued!.Wait();
                _queued.Reset();
                Take(batch);

                // More is waiting: come straight back. So too when stopping: Dispose's wake-up may be the one this batch
                // consumed, and the thread must come round to an empty queue to end, or Dispose's Join waits forever.
                if (batch.Count == _maxBatch || _stopping)
                {
                    _queued.Set();
                }

                if (batch.Count == 0)
                {
                    if (_stopping)
                    {
                        _ended = true;
                        FailQueued();
                        return;
                    }

                    continue;
                }

                // The flush is synchronous here: the commit completes on this thread, before the next batch is taken.
                CommitAsync(flush, batch).GetAwaiter().GetResult();
            }
        }
        finally
        {
            (flush as IDisposable)?.Dispose();
        }
    }

    private async Task DrainAsync()
    {
        var batch = new List<TWrite>(_maxBatch);
        while (true)
        {
            Take(batch);
            if (batch.Count == 0)
            {
                Volatile.Write(ref _draining, 0);

                // A write queued between the last look and the reset found the flag set and left the draining to us.
                if (_queue.IsEmpty || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
                {
                    return;
                }

                continue;
            }

            await CommitAsync(_flush!, batch);
        }
    }

    private void Take(List<TWrite> batch)
    {
        batch.Clear();
        while (batch.Count < _maxBatch && _queue.TryDequeue(out var write))
        {
            batch.Add(write);
        }
    }

    private static async ValueTask CommitAsync(IGroupCommitFlush<TWrite> flush, List<TWrite> batch)
    {
        var failure = await flush.TryFlushAsync(batch);
        if (failure is null)
        {
            foreach (var write in batch)
            {
                write.Complete();
            }

            return;
        }

        if (batch.Count == 1 || !flush.IsWriteFault(failure))
        {
            foreach (var write in batch)
            {
                write.Fail(failure);
            }

            return;
        }

        // One bad write must not sink its neighbours: each alone, to find out which fails.
        flush.BatchFailed(failure, batch.Count);
        foreach (var write in batch)
        {
            if (await flush.TryFlushAsync([write]) is { } own)
            {
                write.Fail(own);
            }
            else
            {
                write.Complete();
            }
        }
    }

    /// <summary>Fails the writes queued after the thread ended, which would otherwise never complete.</summary>
    private void FailQueued()
    {
        while (_queue.TryDequeue(out var write))
        {
            write.Fail(new ObjectDisposedException(_owner));
        }
    }
}
