using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Delivery.Log;

namespace Webhooks.Grains.Storage.Sqlite;

/// <summary>
/// The delivery log's journal (table <c>WebhooksDeliveryJournal</c>, schema 008): every change of a listener's log is
/// appended in order, and folded into <c>WebhooksDeliveries</c> in batches of at least <see cref="FoldAt"/> changes and
/// before anything reads or sweeps that table.
/// </summary>
/// <remarks>
/// Every method runs inside a write of the silo's <see cref="SqliteWriter"/>, on its one thread, so the journal needs no
/// lock: an append and the fold it triggers share a transaction, and a fold sees every change committed before it.
/// </remarks>
internal sealed class SqliteDeliveryJournal(IOptions<ClusterOptions> cluster)
{
    /// <summary>
    /// Changes appended before the journal is folded. A fold writes each listener's pages once for all its changes
    /// since the last one, so the larger the batch the fewer pages per delivery; a fold of this many takes a few
    /// milliseconds of the writer's time.
    /// </summary>
    public const int FoldAt = 2048;

    private const string Append = """
        INSERT INTO WebhooksDeliveryJournal (ServiceId, ListenerId, Seq, SeqTo, Status, Record, EventSeq, RetainedSince)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8);
        """;

    private const string ReadAll = """
        SELECT Id, ListenerId, Seq, SeqTo, Status, Record, EventSeq, RetainedSince
        FROM WebhooksDeliveryJournal WHERE ServiceId = $1 ORDER BY Id;
        """;

    private const string Forget = "DELETE FROM WebhooksDeliveryJournal WHERE ServiceId = $1 AND Id <= $2;";

    private const string Upsert = """
        INSERT INTO WebhooksDeliveries (ServiceId, ListenerId, Seq, Status, Record, EventSeq, RetainedSince) VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (ServiceId, ListenerId, Seq) DO UPDATE SET Status = excluded.Status, Record = excluded.Record, RetainedSince = excluded.RetainedSince;
        """;

    private const string Remove = "DELETE FROM WebhooksDeliveries WHERE ServiceId = $1 AND ListenerId = $2 AND Seq BETWEEN $3 AND $4;";

    private const string Holds = "SELECT EXISTS (SELECT 1 FROM WebhooksDeliveryJournal WHERE ServiceId = $1 AND ListenerId = $2);";

    private readonly string _serviceId = cluster.Value.ServiceId;

    // Appended since the last fold, as far as this process knows: changes a crash left behind are folded when their
    // listener is loaded again, or with the next fold (a fold reads the table, not this count).
    private int _appended;

    /// <summary>Appends <paramref name="changes"/> of <paramref name="listenerId"/>'s log, and folds once enough are waiting.</summary>
    public void Write(SqliteStatements s, string listenerId, DeliveryLogChanges changes)
    {
        if (changes.RemoveAll)
        {
            s.Execute(Append, _serviceId, listenerId, long.MinValue, long.MaxValue, null, null, null, null);
            _appended++;
        }

        foreach (var (from, to) in DeliveryLogChanges.Runs(changes.Removals))
        {
            s.Execute(Append, _serviceId, listenerId, from, to, null, null, null, null);
            _appended++;
        }

        foreach (var row in changes.Upserts)
        {
            s.Execute(Append, _serviceId, listenerId, row.Seq, null, (int)row.Status, row.Record, row.EventSeq, row.RetainedSince?.ToUnixTimeMilliseconds());
            _appended++;
        }

        if (_appended >= FoldAt)
        {
            Fold(s);
        }
    }

    /// <summary>
    /// Applies every change in the journal to <c>WebhooksDeliveries</c>, in order, and empties the journal. The changes
    /// are merged as one transaction of saves would be (<see cref="MergedChanges"/>): only the last state of each delivery
    /// is written, each listener's in Seq order, so a page of the table is written once per fold.
    /// </summary>
    public void Fold(SqliteStatements s)
    {
        var (last, saves) = s.Query(ReadAll, static rows =>
        {
            var last = 0L;
            var saves = new List<(string ListenerId, DeliveryLogChanges Changes)>();
            while (rows.Read())
            {
                last = rows.GetInt64(0);
                var (listenerId, seq) = (rows.GetString(1), rows.GetInt64(2));
                saves.Add((listenerId, rows.IsDBNull(4)
                    ? Removal(seq, rows.GetInt64(3))
                    : new DeliveryLogChanges(
                        [new DeliveryRow(seq, (DeliveryStatus)rows.GetInt32(4), (byte[])rows.GetValue(5), rows.IsDBNull(6) ? null : rows.GetInt64(6))
                        {
                            RetainedSince = rows.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(rows.GetInt64(7)),
                        }],
                        [])));
            }

            return (last, saves);
        }, _serviceId);

        _appended = 0;
        if (saves.Count == 0)
        {
            return;
        }

        var merged = MergedChanges.Merge(saves);
        foreach (var listenerId in merged.RemoveAll)
        {
            s.Execute(Remove, _serviceId, listenerId, long.MinValue, long.MaxValue);
        }

        foreach (var (listenerId, from, to) in merged.Removals)
        {
            s.Execute(Remove, _serviceId, listenerId, from, to);
        }

        foreach (var (listenerId, row) in merged.Upserts)
        {
            s.Execute(Upsert, _serviceId, listenerId, row.Seq, (int)row.Status, row.Record, row.EventSeq, row.RetainedSince?.ToUnixTimeMilliseconds());
        }

        s.Execute(Forget, _serviceId, last);
    }

    // A journal row with no status removes its listener's deliveries Seq to SeqTo; the whole range, all of them.
    private static DeliveryLogChanges Removal(long from, long to) =>
        from == long.MinValue && to == long.MaxValue
            ? new DeliveryLogChanges([], [], RemoveAll: true)
            : new DeliveryLogChanges([], [.. Enumerable.Range(0, checked((int)(to - from + 1))).Select(i => from + i)]);

    /// <summary>Whether the journal holds changes of <paramref name="listenerId"/> (a read beside the writer, not a write).</summary>
    public bool HoldsChangesOf(SqliteWriter writer, string listenerId) =>
        writer.Read(Holds, static r => r.Read() && r.GetInt64(0) != 0, _serviceId, listenerId);

}
