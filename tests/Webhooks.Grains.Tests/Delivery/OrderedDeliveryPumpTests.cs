using Microsoft.Extensions.Time.Testing;
using Webhooks.Abstractions.Listeners;
using Webhooks.Grains.Delivery;

using static Webhooks.Grains.Tests.Delivery.OrderedQueues;

namespace Webhooks.Grains.Tests.Delivery;

/// <summary>
/// The pump's half of ordered delivery: a head starts only while no other attempt of its key is out or waits for its
/// outcome to be stored (released), whatever the listener's ordering was when that attempt started.
/// </summary>
public sealed class OrderedDeliveryPumpTests
{
    private static readonly RetryPolicy Retries = new([TimeSpan.Zero], 0, () => 0.5);

    private readonly FakeTimeProvider _time = new(T0);

    [Fact]
    public void NextOfAResource_StartsOnlyOnceThePreviousOutcomeIsStored()
    {
        var queue = Create(ListenerOrdering.Resource, ("e1", "r1"), ("e2", "r2"), ("e3", "r1"));
        var pump = Pump(4);

        Assert.Equal(["e1", "e2"], Take(pump, queue));

        // e1 came back and its success is recorded, but its write has not landed: e3 waits.
        Complete(pump, queue, "e1", Success);
        Assert.Empty(Take(pump, queue));

        pump.Release("e1");
        Assert.Equal(["e3"], Take(pump, queue));
    }

    [Fact]
    public void RetryWithNoDelay_StillGoesBeforeTheNextOfItsResource()
    {
        var queue = Create(ListenerOrdering.Resource, ("e1", "r1"), ("e2", "r1"));
        var pump = Pump(4);
        Assert.Equal(["e1"], Take(pump, queue));

        Complete(pump, queue, "e1", Failure); // due again at once
        Assert.Empty(Take(pump, queue)); // not even the retry, until the failure is stored
        pump.Release("e1");

        Assert.Equal(["e1"], Take(pump, queue));
    }

    [Fact]
    public void ListenerOrdering_HasOneAttemptOut_AndTheTestEventIsNeverHeldBack()
    {
        var queue = Create(ListenerOrdering.Listener, ("e1", "r1"), ("e2", "r2"));
        var pump = Pump(4);
        Assert.Equal(["e1"], Take(pump, queue));

        EnqueueTest(queue);
        Assert.Equal(["test"], Take(pump, queue));

        Complete(pump, queue, "e1", Success);
        pump.Release("e1");
        Assert.Equal(["e2"], Take(pump, queue));
    }

    [Fact]
    public void OrderingTurnedOn_WhileAttemptsAreOut_HoldsTheirResources()
    {
        var queue = Create(ListenerOrdering.None, ("e1", "r1"), ("e2", "r2"), ("e3", "r1"));
        var pump = Pump(1);
        Assert.Equal(["e1"], Take(pump, queue));
        Complete(pump, queue, "e1", Success); // its slot is free, its write still out

        queue.SetOrdering(ListenerOrdering.Resource);

        Assert.Equal(["e2"], Take(pump, queue)); // not e3: e1's outcome is not stored yet
        Complete(pump, queue, "e2", Success);
        pump.Release("e2");
        Assert.Empty(Take(pump, queue));
        pump.Release("e1");
        Assert.Equal(["e3"], Take(pump, queue));
    }

    [Fact]
    public void OrderingChangedFromResourceToListener_CountsEveryAttemptOutAsTheListenersOne()
    {
        var queue = Create(ListenerOrdering.Resource, ("e1", "r1"), ("e2", "r2"), ("e3", "r3"));
        var pump = Pump(4);
        Assert.Equal(["e1", "e2", "e3"], Take(pump, queue));
        Complete(pump, queue, "e1", Failure);
        pump.Release("e1");

        queue.SetOrdering(ListenerOrdering.Listener);

        Assert.Empty(Take(pump, queue)); // e1 is the head, but e2 and e3 are still out
        Complete(pump, queue, "e2", Success);
        pump.Release("e2");
        Complete(pump, queue, "e3", Success);
        pump.Release("e3");
        Assert.Equal(["e1"], Take(pump, queue));
    }

    [Fact]
    public void NoOrdering_StartsEveryDueDeliveryUpToTheLimit()
    {
        var queue = Create(ListenerOrdering.None, ("e1", "r1"), ("e2", "r1"), ("e3", "r1"));

        Assert.Equal(["e1", "e2", "e3"], Take(Pump(4), queue));
    }

    private DeliveryPump Pump(int limit) => new(new ConcurrencyLimit(limit, limit), _time);

    private static string[] Take(DeliveryPump pump, DeliveryQueue queue) =>
        [.. pump.TakeDue(queue, held: false, perSecond: null, out _).Select(d => d.EventId)];

    // The attempt came back and its outcome is recorded in memory, as the grain does before writing it.
    private void Complete(DeliveryPump pump, DeliveryQueue queue, string eventId, AttemptOutcome outcome)
    {
        var delivery = queue.Find(eventId)!;
        pump.Finished(eventId);
        queue.Record(delivery, delivery.Attempts.Count + 1, _time.GetUtcNow(), outcome, _time.GetUtcNow(), Retries, DisableAfter);
    }

}
