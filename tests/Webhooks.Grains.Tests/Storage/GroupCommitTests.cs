using Webhooks.Grains.Storage;

namespace Webhooks.Grains.Tests.Storage;

public sealed class GroupCommitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WritesQueuedWhileABatchFlushes_ShareTheNextFlush_UpToTheCap(bool dedicatedThread)
    {
        var flush = new ScriptedFlush();
        using var commit = Create(dedicatedThread, maxBatch: 2, flush);
        var first = new Write();
        commit.Enqueue(first);
        await flush.Started.WaitAsync(Patience);

        var queued = Enumerable.Range(0, 5).Select(_ => new Write()).ToList();
        queued.ForEach(commit.Enqueue);
        flush.Release();

        await Task.WhenAll(queued.Prepend(first).Select(w => w.Task)).WaitAsync(Patience);
        Assert.Equal([1, 2, 2, 1], flush.Batches.Select(b => b.Count));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AFailureThatCanBeOneWritesFault_IsFoundByFlushingEachAlone(bool dedicatedThread)
    {
        var flush = new ScriptedFlush { Bad = w => w.Id == 2 };
        using var commit = Create(dedicatedThread, maxBatch: 8, flush);
        var first = new Write();
        commit.Enqueue(first);
        await flush.Started.WaitAsync(Patience);
        var batch = new[] { new Write(1), new Write(2), new Write(3) };
        Array.ForEach(batch, commit.Enqueue);
        flush.Release();

        await first.Task.WaitAsync(Patience);
        await batch[0].Task.WaitAsync(Patience);
        await batch[2].Task.WaitAsync(Patience);
        await Assert.ThrowsAsync<InvalidOperationException>(() => batch[1].Task.WaitAsync(Patience));
        Assert.Equal([1, 3, 1, 1, 1], flush.Batches.Select(b => b.Count));
        Assert.Equal(1, flush.BatchesFailed);
    }

    [Fact]
    public async Task AFailureThatIsNoWritesFault_FailsTheBatchTogether()
    {
        var flush = new ScriptedFlush { Bad = _ => true, WriteFault = false };
        using var commit = GroupCommit<Write>.OnDemand("test", 8, flush);
        var first = new Write();
        commit.Enqueue(first);
        await flush.Started.WaitAsync(Patience);
        var batch = new[] { new Write(1), new Write(2) };
        Array.ForEach(batch, commit.Enqueue);
        flush.Release();

        foreach (var write in batch.Prepend(first))
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => write.Task.WaitAsync(Patience));
        }

        Assert.Equal([1, 2], flush.Batches.Select(b => b.Count));
    }

    [Fact]
    public async Task OnADedicatedThread_Dispose_FlushesWhatIsQueued_AndRefusesMore()
    {
        var flush = new ScriptedFlush();
        var commit = GroupCommit<Write>.OnDedicatedThread("test", "group commit test", 8, () => flush);
        var first = new Write();
        commit.Enqueue(first);
        await flush.Started.WaitAsync(Patience);
        var queued = new Write();
        commit.Enqueue(queued);

        var disposing = Task.Run(commit.Dispose);
        flush.Release();

        await disposing.WaitAsync(Patience);
        await Task.WhenAll(first.Task, queued.Task).WaitAsync(Patience);
        Assert.Throws<ObjectDisposedException>(() => commit.Enqueue(new Write()));
        Assert.True(flush.Disposed);
    }

    private static GroupCommit<Write> Create(bool dedicatedThread, int maxBatch, ScriptedFlush flush) => dedicatedThread
        ? GroupCommit<Write>.OnDedicatedThread("test", "group commit test", maxBatch, () => flush)
        : GroupCommit<Write>.OnDemand("test", maxBatch, flush);

    internal sealed class Write(int id = 0) : IGroupCommitWrite
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Id => id;

        public Task Task => _done.Task;

        public void Complete() => _done.TrySetResult();

        public void Fail(Exception exception) => _done.TrySetException(exception);
    }

    /// <summary>Records each batch; the first flush waits for <see cref="Release"/>, so writes queue up behind it.</summary>
    private sealed class ScriptedFlush : IGroupCommitFlush<Write>, IDisposable
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ManualResetEventSlim _release = new();
        private readonly Lock _gate = new();
        private readonly List<IReadOnlyList<Write>> _batches = [];

        public Func<Write, bool> Bad { get; init; } = _ => false;

        public bool WriteFault { get; init; } = true;

        public Task Started => _started.Task;

        public int BatchesFailed { get; private set; }

        public bool Disposed { get; private set; }

        public IReadOnlyList<IReadOnlyList<Write>> Batches
        {
            get
            {
                lock (_gate)
                {
                    return [.. _batches];
                }
            }
        }

        public void Release() => _release.Set();

        public ValueTask<Exception?> TryFlushAsync(IReadOnlyList<Write> batch)
        {
            lock (_gate)
            {
                _batches.Add([.. batch]);
            }

            _started.TrySetResult();
            _release.Wait(Patience);
            return ValueTask.FromResult<Exception?>(batch.Any(Bad) ? new InvalidOperationException("a bad write") : null);
        }

        public bool IsWriteFault(Exception failure) => WriteFault;

        public void BatchFailed(Exception failure, int count) => BatchesFailed++;

        public void Dispose()
        {
            Disposed = true;
            _release.Dispose();
        }
    }
}
