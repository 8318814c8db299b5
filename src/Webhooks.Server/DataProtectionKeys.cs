using Microsoft.Data.Sqlite;
using Webhooks.Storage;

namespace Webhooks.Server;

/// <summary>
/// Where the Data Protection key ring lives. It encrypts tenant private keys and listener secrets at rest, so it
/// must outlive the process and travel with the database: by default a <c>keys</c> folder beside the SQLite file.
/// </summary>
internal static class DataProtectionKeys
{
    public const string FolderKey = "Webhooks:DataProtection:KeysFolder";

    public static string Folder(IConfiguration configuration)
    {
        if (configuration[FolderKey] is { Length: > 0 } configured)
        {
            return configured;
        }

        var connectionString = configuration.GetConnectionString("Webhooks") ?? StorageOptions.DefaultSqliteConnectionString;
        var database = Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource);
        return Path.Combine(Path.GetDirectoryName(database)!, "keys");
    }
}
