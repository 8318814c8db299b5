namespace Webhooks.Grains.Delivery.Log;

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
