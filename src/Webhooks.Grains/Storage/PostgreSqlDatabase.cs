using Microsoft.Extensions.Options;
using Npgsql;

namespace Webhooks.Storage;

/// <summary>
/// The one Npgsql data source (and so the one connection pool) of the tables the server reads and writes itself,
/// the delivery log and the accepted events; Orleans' providers keep their own.
/// </summary>
internal sealed class PostgreSqlDatabase(IOptions<StorageOptions> storage) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = NpgsqlDataSource.Create(storage.Value.ConnectionString);

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
