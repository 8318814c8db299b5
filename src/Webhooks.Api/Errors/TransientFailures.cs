using System.Data.Common;
using System.Net.Sockets;

namespace Webhooks.Api.Errors;

/// <summary>
/// Tells a failure that retrying will cure (the database restarting or unreachable, a silo gone, a call timed out)
/// from a bug. The first is a 503 with <c>Retry-After</c>, so clients retry; only the second is a 500.
/// </summary>
internal static class TransientFailures
{
    /// <summary>The error code for the database being unreachable.</summary>
    public const string StorageUnavailable = "StorageUnavailable";

    /// <summary>The error code for the cluster being unable to serve the call in time.</summary>
    public const string Unavailable = "Unavailable";

    // SQLSTATE classes that mean the server is not there to answer, whatever the statement: 08 connection
    // exception, 53 insufficient resources, 57P operator intervention (shutdown, restart, starting up), 58 system error.
    private static readonly string[] UnavailableSqlStates = ["08", "53", "57P", "58"];

    /// <summary>The error code to answer <paramref name="exception"/> with as a 503, or null when it is not transient.</summary>
    public static string? Classify(Exception exception)
    {
        string? found = null;
        foreach (var cause in Causes(exception))
        {
            switch (cause)
            {
                case DbException db when db.IsTransient || IsUnavailable(db.SqlState):
                    return StorageUnavailable;
                case TimeoutException or OrleansException or SocketException:
                    found ??= Unavailable;
                    break;
            }
        }

        return found;
    }

    private static bool IsUnavailable(string? sqlState) =>
        sqlState is not null && UnavailableSqlStates.Any(prefix => sqlState.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>The exception and everything inside it, outermost first (bounded: a cycle or a deep chain stops the walk).</summary>
    private static IEnumerable<Exception> Causes(Exception exception)
    {
        var pending = new Queue<Exception>([exception]);
        for (var seen = 0; pending.Count > 0 && seen < 32; seen++)
        {
            var current = pending.Dequeue();
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Enqueue(inner);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Enqueue(inner);
            }
        }
    }
}
