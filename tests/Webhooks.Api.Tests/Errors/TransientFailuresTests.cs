using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;
using Webhooks.Api.Errors;

namespace Webhooks.Api.Tests.Errors;

/// <summary>What counts as an outage (a 503 the client retries) and what as a bug (a 500), by the exception that arrived.</summary>
public sealed class TransientFailuresTests
{
    public static TheoryData<Exception, string?> Cases => new()
    {
        // What a grain call surfaced while PostgreSQL was stopped and restarting.
        { new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)), TransientFailures.StorageUnavailable },
        { new NpgsqlException("Exception while reading from stream", new EndOfStreamException()), TransientFailures.StorageUnavailable },
        { new PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03"), TransientFailures.StorageUnavailable },
        { new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"), TransientFailures.StorageUnavailable },
        { new PostgresException("too many connections", "FATAL", "FATAL", "53300"), TransientFailures.StorageUnavailable },
        { new InvalidOperationException("wrapped", new NpgsqlException("Failed to connect", new TimeoutException())), TransientFailures.StorageUnavailable },
        { new AggregateException(new ArgumentException("x"), new NpgsqlException("down", new SocketException((int)SocketError.ConnectionReset))), TransientFailures.StorageUnavailable },

        // The cluster could not serve the call in time.
        { new TimeoutException("Response did not arrive on time"), TransientFailures.Unavailable },
        { new SiloUnavailableException("the silo is gone"), TransientFailures.Unavailable },
        { new AggregateException(new TimeoutException()), TransientFailures.Unavailable },

        // Bugs, and data the database refused: retrying changes nothing.
        { new PostgresException("duplicate key value", "ERROR", "ERROR", "23505"), null },
        { new PostgresException("syntax error", "ERROR", "ERROR", "42601"), null },
        { new SqliteException("constraint failed", 19), null },
        { new InvalidOperationException("a bug"), null },
        { new NullReferenceException(), null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classify_NamesOutagesAndOnlyOutages(Exception exception, string? expected) =>
        Assert.Equal(expected, TransientFailures.Classify(exception));
}
