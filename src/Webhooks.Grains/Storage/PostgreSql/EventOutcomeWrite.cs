using Npgsql;

namespace Webhooks.Grains.Storage.PostgreSql;

/// <summary>
/// A publish's outcome (the count answered to the publisher, the listeners that queued the event) recorded in its
/// event's row; the outcomes sharing a transaction are recorded by one statement. The first outcome of an event stays:
/// a later one, or a second in the same statement, answers with the count already there.
/// </summary>
internal sealed class EventOutcomeWrite(long seq, IReadOnlyList<string> listenerIds) : PostgreSqlWrite<int>
{
    // Fields, not the constructor's parameters: one statement records every outcome of a transaction.
    private readonly long _seq = seq;
    private readonly IReadOnlyList<string> _listenerIds = listenerIds;

    // A concurrent update waits for this one and then reads the row as it left it. An event named twice here is
    // updated once, from either; both read the count it was left with.
    internal const string Update = """
        UPDATE webhooksevents e
        SET matched = COALESCE(e.matched, o.matched), listeners = CASE WHEN e.matched IS NULL THEN o.listeners ELSE e.listeners END
        FROM unnest($1::bigint[], $2::integer[], $3::text[]) AS o(seq, matched, listeners)
        WHERE e.seq = o.seq
        RETURNING e.seq, e.matched;
        """;

    public static NpgsqlBatchCommand Command(IReadOnlyList<EventOutcomeWrite> outcomes)
    {
        var command = new NpgsqlBatchCommand(Update);
        command.Parameters.Add(new NpgsqlParameter { Value = outcomes.Select(o => o._seq).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = outcomes.Select(o => o._listenerIds.Count).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = outcomes.Select(o => string.Join(',', o._listenerIds)).ToArray() });
        return command;
    }

    public static async Task ReadAsync(NpgsqlDataReader rows, IReadOnlyList<EventOutcomeWrite> outcomes)
    {
        var matched = new Dictionary<long, int>();
        while (await rows.ReadAsync())
        {
            matched[rows.GetInt64(0)] = rows.GetInt32(1);
        }

        foreach (var outcome in outcomes)
        {
            // No row: retention removed the event while its publish ran, which only a retention of seconds allows (an
            // abandoned publish is kept twice the retention). The listeners have it; this publish's count stands.
            outcome.Result = matched.TryGetValue(outcome._seq, out var count) ? count : outcome._listenerIds.Count;
        }
    }
}
