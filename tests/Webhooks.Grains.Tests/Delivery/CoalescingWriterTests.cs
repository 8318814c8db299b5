using Webhooks.Grains.Delivery;

namespace Webhooks.Grains.Tests.Delivery;

public sealed class CoalescingWriterTests
{
    [Fact]
    public async Task Writes_RequestedWhileOneIsInFlight_ShareTheNextWrite()
    {
        var gates = new List<TaskCompletionSource>();
        var writer = new CoalescingWriter(() =>
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            gates.Add(gate);
            return gate.Task;
        });

        var first = writer.WriteAsync();
        var second = writer.WriteAsync();
        var third = writer.WriteAsync();

        Assert.Single(gates);
        Assert.Same(second, third);
        gates[0].SetResult();
        await first;
        while (gates.Count < 2)
        {
            await Task.Yield();
        }

        Assert.False(second.IsCompleted);
        gates[1].SetResult();
        await second;
        Assert.Equal(2, gates.Count);
    }

    [Fact]
    public async Task AFailedWrite_FailsItsCallers_AndTheQueuedWriteStillRuns()
    {
        var calls = 0;
        var firstGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writer = new CoalescingWriter(() => ++calls == 1 ? firstGate.Task : Task.CompletedTask);

        var first = writer.WriteAsync();
        var second = writer.WriteAsync();
        firstGate.SetException(new InvalidOperationException("disk full"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => first);
        await second;
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task AWriteAlongside_StartsAtOnceBesideTheOneInFlight_AndTheNextOrdinaryWriteWaitsForBoth()
    {
        var started = new List<(string Kind, TaskCompletionSource Gate, bool AlongsideDone)>();
        Task Gate(string kind)
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            started.Add((kind, gate, started.Count > 1 && started[1].Gate.Task.IsCompleted));
            return gate.Task;
        }

        var writer = new CoalescingWriter(() => Gate("ordinary"), () => Gate("alongside"));
        var first = writer.WriteAsync();
        var alongside = writer.WriteAlongsideAsync();
        var next = writer.WriteAsync();

        Assert.Equal(["ordinary", "alongside"], started.Select(s => s.Kind));
        started[0].Gate.SetResult();
        await first;
        Assert.False(writer.Idle.IsCompleted);

        started[1].Gate.SetResult();
        await alongside;
        while (started.Count < 3)
        {
            await Task.Yield();
        }

        Assert.Equal("ordinary", started[2].Kind);
        Assert.True(started[2].AlongsideDone, "the ordinary write started before the one alongside had landed");
        Assert.False(next.IsCompleted);
        started[2].Gate.SetResult();
        await next;
        await writer.Idle;
    }

    [Fact]
    public async Task AWriteAlongside_WithNothingInFlight_IsAnOrdinaryWrite()
    {
        var kinds = new List<string>();
        var writer = new CoalescingWriter(
            () => { kinds.Add("ordinary"); return Task.CompletedTask; },
            () => { kinds.Add("alongside"); return Task.CompletedTask; });

        await writer.WriteAlongsideAsync();
        await writer.WriteAlongsideAsync();

        Assert.Equal(["ordinary", "ordinary"], kinds);
    }

    [Fact]
    public async Task Idle_WaitsForEveryWriteInFlight_AlongsideOnesIncluded()
    {
        var ordinary = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var beside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writer = new CoalescingWriter(() => ordinary.Task, () => beside.Task);
        _ = writer.WriteAsync();
        _ = writer.WriteAlongsideAsync();

        ordinary.SetResult();
        var idle = writer.Idle;
        Assert.False(idle.IsCompleted);
        beside.SetResult();
        await idle;
    }
}
