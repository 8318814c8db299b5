using Microsoft.Extensions.Options;
using Npgsql;

namespace Webhooks.Storage;

/// <summary>
/// The one Npgsql data source (and so the one connection pool) of the tables the server reads and writes itself,
/// the delivery log and the accepted events; Orleans' providers keep their own.
/// </summary>
/// <remarks>
/// Its few statements run with every publish and every delivery, so each connection prepares them once it has
/// seen them twice (unless the connection string already says otherwise): planning them anew each time took a
/// tenth of PostgreSQL's CPU in the fan-out benchmark.
/// </remarks>
internal sealed class PostgreSqlDatabase(IOptions<StorageOptions> storage) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = NpgsqlDataSource.Create(WithAutoPrepare(storage.Value.ConnectionString));

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    private static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 16;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }
}
