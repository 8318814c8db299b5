namespace Webhooks.Grains.Delivery.Log;

/// <summary>
/// What one transaction does with the saves of many listeners: every row of some listeners removed
/// (<paramref name="RemoveAll"/>), then runs of rows removed, then rows stored, each once.
/// </summary>
public sealed record MergedChanges(
    IReadOnlyList<string> RemoveAll,
    IReadOnlyList<(string ListenerId, long From, long To)> Removals,
    IReadOnlyList<(string ListenerId, DeliveryRow Row)> Upserts)
{
    /// <summary>
    /// Folds saves, in the order given, into what a single transaction must do: listeners whose rows all go, rows
    /// to remove, and the last version of each row to store. A row saved twice is stored once, as the later save
    /// left it; a row removed after it was saved is only removed; one saved after a removal is stored.
    /// </summary>
    public static MergedChanges Merge(IEnumerable<(string ListenerId, DeliveryLogChanges Changes)> saves)
    {
        var removeAll = new HashSet<string>(StringComparer.Ordinal);
        var removals = new Dictionary<string, HashSet<long>>(StringComparer.Ordinal);
        var upserts = new Dictionary<(string ListenerId, long Seq), DeliveryRow>();
        foreach (var (listenerId, changes) in saves)
        {
            if (changes.RemoveAll)
            {
                removeAll.Add(listenerId);
                removals.Remove(listenerId);
                foreach (var key in upserts.Keys.Where(k => k.ListenerId == listenerId).ToList())
                {
                    upserts.Remove(key);
                }
            }

            foreach (var seq in changes.Removals)
            {
                upserts.Remove((listenerId, seq));
                if (!removals.TryGetValue(listenerId, out var seqs))
                {
                    removals[listenerId] = seqs = [];
                }

                seqs.Add(seq);
            }

            foreach (var row in changes.Upserts)
            {
                upserts[(listenerId, row.Seq)] = row;
                removals.GetValueOrDefault(listenerId)?.Remove(row.Seq);
            }
        }

        // In key order: the index is walked forwards, and two transactions never take row locks in opposite orders.
        var ordered = upserts.OrderBy(u => u.Key.ListenerId, StringComparer.Ordinal).ThenBy(u => u.Key.Seq)
            .Select(u => (u.Key.ListenerId, u.Value)).ToList();
        return new MergedChanges(
            [.. removeAll.Order(StringComparer.Ordinal)],
            [.. removals.OrderBy(r => r.Key, StringComparer.Ordinal).SelectMany(r => DeliveryLogChanges.Runs(r.Value).Select(run => (r.Key, run.From, run.To)))],
            ordered);
    }
}
