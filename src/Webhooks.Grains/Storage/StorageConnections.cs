using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Webhooks.Grains.Storage;

/// <summary>Opens connections to the configured database outside Orleans (schema installation, health probes).</summary>
public static class StorageConnections
{
    /// <summary>The ADO.NET invariant Orleans' providers use for <paramref name="provider"/>.</summary>
    public static string Invariant(StorageProvider provider) => provider switch
    {
        StorageProvider.Sqlite => "System.Data.SQLite",
        StorageProvider.PostgreSql => "Npgsql",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown storage provider."),
    };

    /// <summary>A new, closed connection.</summary>
    public static DbConnection Create(StorageOptions options) => options.Provider switch
    {
        StorageProvider.Sqlite => new SqliteConnection(options.ConnectionString),
        StorageProvider.PostgreSql => new Npgsql.NpgsqlConnection(options.ConnectionString),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown storage provider."),
    };
}
