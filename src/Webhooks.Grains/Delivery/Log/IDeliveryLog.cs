using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Publishing;

namespace Webhooks.Grains.Delivery.Log;

/// <summary>
/// Where a listener's deliveries are kept: one row per delivery, so a write carries only the deliveries that
/// changed and its cost does not depend on how long the backlog is. The listener grain is the only writer of
/// its own rows and calls one method at a time.
/// </summary>
public interface IDeliveryLog
{
    /// <summary>
    /// Every stored delivery of <paramref name="listenerId"/>, in <see cref="DeliveryRow.Seq"/> order, with the content of
    /// the stored events of those that are not finished (one read: a join).
    /// </summary>
    Task<IReadOnlyList<DeliveryRow>> LoadAsync(string listenerId);

    /// <summary>Stores <paramref name="changes"/> atomically: all of them or, on failure, none.</summary>
    Task SaveAsync(string listenerId, DeliveryLogChanges changes);
}

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

/// <summary>
/// Deliveries to insert or replace, and deliveries (by <see cref="DeliveryRow.Seq"/>) to remove; with
/// <paramref name="RemoveAll"/>, every stored delivery of the listener is removed first (it was deleted).
/// </summary>
public sealed record DeliveryLogChanges(IReadOnlyList<DeliveryRow> Upserts, IReadOnlyList<long> Removals, bool RemoveAll = false)
{
    public bool IsEmpty => Upserts.Count == 0 && Removals.Count == 0 && !RemoveAll;

    /// <summary>
    /// <paramref name="seqs"/> as runs of consecutive numbers, in order, each to be removed with one range
    /// condition: trimmed deliveries are a listener's oldest, so a batch of removals is usually one run.
    /// </summary>
    public static IEnumerable<(long From, long To)> Runs(IEnumerable<long> seqs)
    {
        long? from = null, to = null;
        foreach (var seq in seqs.Order().Distinct())
        {
            if (to + 1 == seq)
            {
                to = seq;
                continue;
            }

            if (from is { } start)
            {
                yield return (start, to!.Value);
            }

            (from, to) = (seq, seq);
        }

        if (from is { } last)
        {
            yield return (last, to!.Value);
        }
    }
}
