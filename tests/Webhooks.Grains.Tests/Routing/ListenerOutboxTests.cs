using System.Collections.Immutable;
using System.Reflection;
using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Listeners;
using Webhooks.Grains.Routing;

namespace Webhooks.Grains.Tests.Routing;

public sealed class ListenerOutboxTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TheFirstEventGoesAtOnce_TheOnesPublishedWhileItIsOut_GoTogetherNext()
    {
        var listener = HeldListener.Create();
        var idle = 0;
        var outbox = new ListenerOutbox(listener, () => idle++);

        var first = outbox.EnqueueAsync(Event("e1"));
        var queued = new[] { outbox.EnqueueAsync(Event("e2")), outbox.EnqueueAsync(Event("e3")), outbox.EnqueueAsync(Event("e4")) };

        var call = Assert.Single(Proxy(listener).Calls);
        Assert.Equal(["e1"], call.Events.Select(e => e.EventId));
        Assert.False(first.IsCompleted); // answered only once the listener has it on storage

        call.Answer.SetResult([true]);
        Assert.True(await first);
        Assert.Equal(2, Proxy(listener).Calls.Count);
        var second = Proxy(listener).Calls[1];
        Assert.Equal(["e2", "e3", "e4"], second.Events.Select(e => e.EventId));
        Assert.All(queued, q => Assert.False(q.IsCompleted));
        Assert.Equal(0, idle);

        second.Answer.SetResult([true, false, true]);
        var answers = await Task.WhenAll(queued);
        Assert.Equal([true, false, true], answers);
        Assert.Equal(1, idle);
        Assert.Equal(2, Proxy(listener).Calls.Count);
    }

    [Fact]
    public async Task AFailedCall_FailsItsOwnEventsOnly()
    {
        var listener = HeldListener.Create();
        var outbox = new ListenerOutbox(listener, () => { });

        var failing = outbox.EnqueueAsync(Event("e1"));
        var next = outbox.EnqueueAsync(Event("e2"));
        Proxy(listener).Calls[0].Answer.SetException(new TimeoutException("storage is slow"));

        await Assert.ThrowsAsync<TimeoutException>(() => failing);
        Proxy(listener).Calls[1].Answer.SetResult([true]);
        Assert.True(await next);
    }

    private static HeldListener Proxy(IListenerGrain listener) => (HeldListener)(object)listener;

    private static EventEnvelope Event(string id) => new("t_x", id, "order.created", "order_1", T0, "{}");

    /// <summary>A listener whose every EnqueueAsync waits until the test answers it.</summary>
    public class HeldListener : DispatchProxy
    {
        public List<(ImmutableArray<EventEnvelope> Events, TaskCompletionSource<ImmutableArray<bool>> Answer)> Calls { get; } = [];

        public static IListenerGrain Create() => Create<IListenerGrain, HeldListener>();

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod?.Name != nameof(IListenerGrain.EnqueueAsync))
            {
                throw new NotSupportedException(targetMethod?.Name);
            }

            var answer = new TaskCompletionSource<ImmutableArray<bool>>();
            Calls.Add(((ImmutableArray<EventEnvelope>)args![0]!, answer));
            return answer.Task;
        }
    }
}
