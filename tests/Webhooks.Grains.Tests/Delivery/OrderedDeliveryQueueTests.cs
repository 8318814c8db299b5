using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Listeners;
using Webhooks.Grains.Delivery;

using static Webhooks.Grains.Tests.Delivery.OrderedQueues;

namespace Webhooks.Grains.Tests.Delivery;

/// <summary>
/// The heads of an ordered listener's queue: the oldest pending delivery of each resource (or of the whole listener) is
/// the only one <see cref="DeliveryQueue.Due"/> offers; retries keep their place, failures and parked ones do not.
/// </summary>
public sealed class OrderedDeliveryQueueTests
{
    private static readonly RetryPolicy Retries = new([TimeSpan.FromSeconds(5)], 0, () => 0.5);

    [Fact]
    public void ResourceOrdering_OffersTheOldestPendingDeliveryOfEachResource_AndEveryUnorderedOne()
    {
        var queue = Create(ListenerOrdering.Resource, ("e1", "r1"), ("e2", "r2"), ("e3", "r1"), ("e4", null), ("e5", "r2"), ("e6", null));
        EnqueueTest(queue);

        Assert.Equal(["e1", "e2", "e4", "e6", "test"], DueIds(queue, T0));
        Assert.True(queue.AnyDue(T0));
    }

    [Fact]
    public void RetryingHead_HoldsBackOnlyItsOwnResource_UntilItSucceeds()
    {
        var queue = Create(ListenerOrdering.Resource, ("e1", "r1"), ("e2", "r2"), ("e3", "r1"));

        queue.Record(queue.Find("e1")!, 1, T0, Failure, T0, Retries, DisableAfter);

        Assert.Equal(["e2"], DueIds(queue, T0));
        Assert.Equal(["e2", "e1"], DueIds(queue, T0.AddSeconds(5))); // the retry, not the next one of r1
        queue.Record(queue.Find("e1")!, 2, T0.AddSeconds(5), Success, T0.AddSeconds(5), Retries, DisableAfter);
        Assert.Equal(["e2", "e3"], DueIds(queue, T0.AddSeconds(5)));
    }

    [Fact]
    public void FailedHead_HoldsNothingBack_AndRecoveredTakesItsOldPlace()
    {
        var queue = Create(ListenerOrdering.Resource, ("e1", "r1"), ("e2", "r1"), ("e3", "r1"));
        var first = queue.Find("e1")!;
        queue.Record(first, 1, T0, Failure, T0, Retries, DisableAfter);
        queue.Record(first, 2, T0.AddSeconds(5), Failure, T0.AddSeconds(5), Retries, DisableAfter);
        Assert.Equal(DeliveryStatus.Failed, first.Status);
        Assert.Equal(["e2"], DueIds(queue, T0.AddSeconds(5)));

        queue.Record(queue.Find("e2")!, 1, T0.AddSeconds(5), Success, T0.AddSeconds(5), Retries, DisableAfter);
        Assert.Equal(1, queue.Recover(T0, null, T0.AddSeconds(6)));

        // Recovered, the first is the head again, ahead of the one accepted after it (due earlier, but later in order).
        Assert.Equal(["e1"], DueIds(queue, T0.AddSeconds(6)));
    }

    [Fact]
    public void ParkedDeliveries_AreNoOnesHead_UntilReleased()
    {
        var state = new DeliveryState();
        var queue = new DeliveryQueue(state);
        queue.SetOrdering(ListenerOrdering.Resource);
        Enqueue(queue, "e1", "r1");
        queue.Disable();
        Enqueue(queue, "e2", "r1");
        Assert.Equal(DeliveryStatus.Parked, queue.Find("e2")!.Status);

        queue.Record(queue.Find("e1")!, 1, T0, Success, T0, Retries, DisableAfter);
        Assert.Empty(DueIds(queue, T0));

        queue.ReleaseParked(replay: true, 10, T0);
        queue.Enable();
        Assert.Equal(["e2"], DueIds(queue, T0));
    }

    [Fact]
    public void ListenerOrdering_OffersOneDeliveryAtATime_InAcceptanceOrder_ButTheTestEventAlways()
    {
        var queue = Create(ListenerOrdering.Listener, ("e1", "r1"), ("e2", "r2"), ("e3", null));
        EnqueueTest(queue);

        Assert.Equal(["e1", "test"], DueIds(queue, T0));
        queue.Record(queue.Find("e1")!, 1, T0, Success, T0, Retries, DisableAfter);
        Assert.Equal(["e2", "test"], DueIds(queue, T0));
        queue.Record(queue.Find("e2")!, 1, T0, Success, T0, Retries, DisableAfter);
        Assert.Equal(["e3", "test"], DueIds(queue, T0));
    }

    [Fact]
    public void ChangingTheOrdering_RebuildsTheHeadsFromThePendingDeliveries()
    {
        var queue = Create(ListenerOrdering.None, ("e1", "r1"), ("e2", "r2"), ("e3", "r1"));
        queue.Record(queue.Find("e2")!, 1, T0, Failure, T0, Retries, DisableAfter);
        Assert.Equal(["e1", "e3"], DueIds(queue, T0));

        queue.SetOrdering(ListenerOrdering.Resource);
        Assert.Equal(["e1"], DueIds(queue, T0));
        Assert.Equal(["e1", "e2"], DueIds(queue, T0.AddSeconds(5)));

        queue.SetOrdering(ListenerOrdering.Listener);
        Assert.Equal(["e1"], DueIds(queue, T0.AddSeconds(5)));

        queue.SetOrdering(ListenerOrdering.None);
        Assert.Equal(["e1", "e3", "e2"], DueIds(queue, T0.AddSeconds(5)));
    }

    [Fact]
    public void Backlog_BehindARetryingHead_IsNotWalked()
    {
        var queue = Create(ListenerOrdering.Resource, [.. Enumerable.Range(0, 10_000).Select(i => ($"e{i}", (string?)"r1"))]);
        Enqueue(queue, "other", "r2");
        queue.Record(queue.Find("e0")!, 1, T0, Failure, T0, Retries, DisableAfter);

        // Only the heads are looked at: the other resource's, then (not due) the retrying one.
        Assert.Equal(["other"], DueIds(queue, T0));
        Assert.Equal(10_001, queue.PendingCount);
    }

    [Fact]
    public void Gone_ParksEveryPendingDelivery_LeavingNoHeads()
    {
        var queue = Create(ListenerOrdering.Resource, ("e1", "r1"), ("e2", "r1"), ("e3", "r2"));

        queue.Record(queue.Find("e1")!, 1, T0, Failure with { StatusCode = 410 }, T0, Retries, DisableAfter);

        Assert.Equal(0, queue.PendingCount);
        Assert.False(queue.AnyDue(T0.AddDays(1)));
    }



    private static string[] DueIds(DeliveryQueue queue, DateTimeOffset now) => [.. queue.Due(now).Select(d => d.EventId)];
}
