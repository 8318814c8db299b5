using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Listeners;
using Webhooks.Grains.Delivery;

namespace Webhooks.Grains.Tests.Delivery;

/// <summary>Queues of an ordered listener for the pure ordering tests: events by id and resource, all accepted at <see cref="T0"/>.</summary>
internal static class OrderedQueues
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan DisableAfter = TimeSpan.FromDays(5);
    public static readonly AttemptOutcome Success = new(true, 200, TimeSpan.FromMilliseconds(3), null, "ok", null);
    public static readonly AttemptOutcome Failure = new(false, 500, TimeSpan.FromMilliseconds(3), null, "oops", null);

    public static DeliveryQueue Create(ListenerOrdering ordering, params (string EventId, string? ResourceId)[] events)
    {
        var queue = new DeliveryQueue(new DeliveryState());
        queue.SetOrdering(ordering);
        foreach (var (eventId, resourceId) in events)
        {
            Enqueue(queue, eventId, resourceId);
        }

        return queue;
    }

    public static void Enqueue(DeliveryQueue queue, string eventId, string? resourceId) =>
        Assert.True(queue.Enqueue(new EventEnvelope("t_x", eventId, "entitlement.created", resourceId, T0, "{}"), isTest: false, T0));

    /// <summary>The test event, never ordered.</summary>
    public static void EnqueueTest(DeliveryQueue queue) =>
        queue.Enqueue(new EventEnvelope("t_x", "test", "webhook.test", "wh_x", T0, null), isTest: true, T0);
}
