using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Webhooks.Grains.Storage.PostgreSql;

/// <summary>
/// The one Npgsql data source (and so the one connection pool) of the tables the server reads and writes itself,
/// the delivery log and the accepted events; Orleans' providers keep their own.
/// </summary>
/// <remarks>
/// Its few statements run with every publish and every delivery, so each connection prepares them once it has
/// seen them twice (unless the connection string already says otherwise): planning them anew each time is a
/// sizeable share of PostgreSQL's work. A connection going back to the pool is not reset either (unless the
/// connection string asks for it): these statements change no session state, and the reset, sent with the next
/// statement on that connection, is a handful more statements parsed and run for every one of ours.
/// <para>
/// Each connection is opened with sequential scans off (<see cref="SessionSettings"/>). Every statement here reads
/// or writes rows by key, and a statement a connection has prepared keeps the plan PostgreSQL chose after its first
/// few runs, from what it then knew of the tables: in a fresh database, that they were nearly empty, where a read of
/// the whole table is the cheapest plan. The plan stays as the tables grow, until statistics are gathered again; at a
/// fan-out peak on a fresh database, each publish's outcome write read the whole events table (2.1 ms and about 650
/// pages a write, a quarter of a core). With the setting, a plan made on a small table still goes by the key. A
/// connection string that asks for connections to be reset when they go back to the pool also resets this setting.
/// </para>
/// </remarks>
internal sealed class PostgreSqlDatabase : IAsyncDisposable
{
    public PostgreSqlDatabase(IOptions<StorageOptions> storage, ILogger<PostgreSqlWriter>? logger = null)
    {
        DataSource = new NpgsqlDataSourceBuilder(WithServerDefaults(storage.Value.ConnectionString))
            .UsePhysicalConnectionInitializer(
                connection =>
                {
                    using var command = new NpgsqlCommand(SessionSettings, connection);
                    command.ExecuteNonQuery();
                },
                async connection =>
                {
                    await using var command = new NpgsqlCommand(SessionSettings, connection);
                    await command.ExecuteNonQueryAsync();
                })
            .Build();
        EventWriter = new PostgreSqlWriter(DataSource, logger ?? NullLogger<PostgreSqlWriter>.Instance);
        DeliveryWriter = new PostgreSqlWriter(DataSource, logger ?? NullLogger<PostgreSqlWriter>.Instance);
    }

    /// <summary>What each new connection sets for its session (see the remarks).</summary>
    internal const string SessionSettings = "SET enable_seqscan = off;";

    public NpgsqlDataSource DataSource { get; }

    /// <summary>
    /// The silo's writer of accepted events and publishes' outcomes: a publish's own writes share transactions with
    /// each other's, and never wait behind a large transaction of delivery-log saves (after a peak, or a backlog
    /// draining), which would hold up every publish behind it.
    /// </summary>
    public PostgreSqlWriter EventWriter { get; }

    /// <summary>The silo's writer of delivery-log saves, the saves of every listener waiting sharing a transaction.</summary>
    public PostgreSqlWriter DeliveryWriter { get; }

    public ValueTask DisposeAsync()
    {
        EventWriter.Dispose();
        DeliveryWriter.Dispose();
        return DataSource.DisposeAsync();
    }

    private static string WithServerDefaults(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 16;
            builder.AutoPrepareMinUsages = 2;
        }

        // The builder knows every keyword, so only the string itself tells whether the operator set this one.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.Keys.Cast<string>().Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals(nameof(builder.NoResetOnClose), StringComparison.OrdinalIgnoreCase)))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }
}
