using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Publishing;

namespace Webhooks.Grains.Delivery.Log;

/// <summary>
/// One stored delivery: its place in the listener's log, its status, the record as JSON and the event it refers to
/// (null when the record carries the event). <paramref name="Content"/>, when loading, is that event's resource id,
/// date and payload, for a delivery that may still be attempted; null otherwise, and when the event is no longer stored.
/// </summary>
public sealed record DeliveryRow(long Seq, DeliveryStatus Status, byte[] Record, long? EventSeq = null, EventContent? Content = null)
{
    /// <summary>Since when the delivery is finished (or parked), which its retention counts from; null while pending, and in rows stored before it was kept.</summary>
    public DateTimeOffset? RetainedSince { get; init; }
}
