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
}
