using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Delivery.Log;

namespace Webhooks.Grains.Delivery;

/// <summary>The queue as storage and the API see it: the rows changed since the last write, a stored row read back, and the log's pages.</summary>
public sealed partial class DeliveryQueue
{
    /// <summary>
    /// The deliveries added or changed since the last call, serialized now, as rows to store; and the trimmed ones
    /// to remove, once there are <see cref="RemovalBatch"/> of them (or all, when the listener was deleted).
    /// </summary>
    public DeliveryLogChanges TakeChanges()
    {
        var upserts = new DeliveryRow[_changed.Count];
        var i = 0;
        foreach (var record in _changed)
        {
            upserts[i++] = new DeliveryRow(record.Seq, record.Status, DeliveryRowFormat.Serialize(record), record.EventSeq)
            {
                RetainedSince = record.Status == DeliveryStatus.Pending ? null : record.RetainedSince,
            };
        }

        Array.Sort(upserts, static (x, y) => x.Seq.CompareTo(y.Seq));
        long[] removals = _removed.Count >= RemovalBatch ? [.. _removed] : [];
        var changes = new DeliveryLogChanges(upserts, removals, _removeAll);
        _changed.Clear();
        if (removals.Length > 0 || _removeAll)
        {
            _removed.Clear();
        }

        _removeAll = false;
        return changes;
    }

    /// <summary>Reads a stored row back into a delivery, with its event's content when the row came with it.</summary>
    public static DeliveryRecord FromRow(DeliveryRow row)
    {
        DeliveryRecord record;
        try
        {
            record = DeliveryRowFormat.Deserialize(row.Record);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"Delivery row {row.Seq} cannot be read: {e.Message}", e);
        }

        record.Seq = row.Seq;
        record.EventSeq = row.EventSeq;
        record.FinishedAt = row.Status is DeliveryStatus.Pending ? null : row.RetainedSince;
        record.HasContent = row.EventSeq is null;
        if (row.EventSeq is not null && row.Content is { } content)
        {
            record.Attach(content);
        }

        return record;
    }

    /// <summary>One page of the log, newest first, optionally only one status.</summary>
    public DeliveryPage Page(DeliveryStatus? status, int pageNumber, int pageSize)
    {
        var matching = _log.Where(d => status is null || d.Status == status).ToList();
        var items = Enumerable.Range(0, matching.Count).Reverse()
            .Skip(PageOffset.Of(pageNumber, pageSize)).Take(pageSize)
            .Select(i => View(matching[i]));
        return new DeliveryPage([.. items], matching.Count);
    }

    public static DeliveryView View(DeliveryRecord d) => new(
        d.EventId, d.EventCode, d.Status, d.CreatedAt, d.NextAttemptAt,
        [.. d.Attempts]);
}
