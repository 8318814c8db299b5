using Webhooks.Abstractions.Listeners;

namespace Webhooks.Grains.Delivery;

/// <summary>
/// Ordered delivery (<see cref="ListenerOrdering"/>): which pending deliveries are the heads of their ordering keys, the
/// only ones an ordered listener may start.
/// </summary>
/// <remarks>
/// <para>
/// A delivery's ordering key is its resource id (<see cref="ListenerOrdering.Resource"/>) or one key for the whole
/// listener (<see cref="ListenerOrdering.Listener"/>). The test event has none, and neither has a delivery without a
/// resource id under <see cref="ListenerOrdering.Resource"/>: each of those is its own head, never held back and
/// holding nothing back.
/// </para>
/// <para>
/// The head of a key is its pending delivery with the lowest <see cref="DeliveryRecord.Seq"/> (acceptance order; a
/// recovered or redelivered delivery keeps its old one and so takes its old place). Parked, failed and finished
/// deliveries are no one's head. Each key keeps its pending deliveries by Seq, and only the heads are in a due-ordered
/// set of their own, which <see cref="Due"/> walks: a long backlog behind a retrying head costs nothing per pump. That
/// no other delivery of the key is out or has an outcome not yet stored is the pump's half of the rule
/// (<see cref="DeliveryPump"/>).
/// </para>
/// </remarks>
public sealed partial class DeliveryQueue
{
    // The one key of a listener ordered as a whole.
    private const string ListenerKey = "";

    private readonly Dictionary<string, SortedSet<DeliveryRecord>> _byKey = new(StringComparer.Ordinal);

    // The key each keyed pending delivery was filed under: its resource id may be released before it is taken out.
    private readonly Dictionary<DeliveryRecord, string> _keyOf = [];
    private readonly SortedSet<DeliveryRecord> _heads = new(DueOrder.Instance);
    private ListenerOrdering _ordering;

    /// <summary>What order this listener's deliveries keep; <see cref="SetOrdering"/> changes it.</summary>
    public ListenerOrdering Ordering => _ordering;

    /// <summary>The ordering key of a delivery of this resource under <paramref name="ordering"/>; null: not ordered.</summary>
    public static string? OrderKey(ListenerOrdering ordering, string? resourceId, bool isTest) =>
        isTest ? null : ordering switch
        {
            ListenerOrdering.Resource => resourceId,
            ListenerOrdering.Listener => ListenerKey,
            _ => null,
        };

    /// <summary>Changes the ordering, rebuilding the heads from the pending deliveries (once per change: O(pending)).</summary>
    public void SetOrdering(ListenerOrdering ordering)
    {
        if (ordering == _ordering)
        {
            return;
        }

        _ordering = ordering;
        ClearOrder();
        if (ordering != ListenerOrdering.None)
        {
            foreach (var record in _pending)
            {
                AddToOrder(record);
            }
        }
    }

    private void ClearOrder()
    {
        _byKey.Clear();
        _keyOf.Clear();
        _heads.Clear();
    }

    private void AddToOrder(DeliveryRecord record)
    {
        if (OrderKey(_ordering, record.ResourceId, record.IsTest) is not { } key)
        {
            _heads.Add(record);
            return;
        }

        _keyOf[record] = key;
        if (!_byKey.TryGetValue(key, out var line))
        {
            _byKey[key] = line = new SortedSet<DeliveryRecord>(LogOrder.Instance);
        }

        var head = line.Min;
        line.Add(record);
        if (head is null || record.Seq < head.Seq)
        {
            if (head is not null)
            {
                _heads.Remove(head);
            }

            _heads.Add(record);
        }
    }

    // Called while the record's schedule is still the one it was filed with: the heads are ordered by it.
    private void RemoveFromOrder(DeliveryRecord record)
    {
        if (!_keyOf.Remove(record, out var key))
        {
            _heads.Remove(record);
            return;
        }

        var line = _byKey[key];
        var wasHead = ReferenceEquals(line.Min, record);
        line.Remove(record);
        if (wasHead)
        {
            _heads.Remove(record);
            if (line.Min is { } next)
            {
                _heads.Add(next);
            }
        }

        if (line.Count == 0)
        {
            _byKey.Remove(key);
        }
    }
}
