using Webhooks.Grains.Hosting;

namespace Webhooks.Grains.Storage;

/// <summary>Where grain state lives.</summary>
public sealed class StorageOptions : ISelfValidatingOptions
{
    /// <summary>The configuration section, <c>Webhooks:Storage</c>.</summary>
    public const string Section = "Webhooks:Storage";

    /// <summary>The default connection string: a SQLite file under <c>./data</c>.</summary>
    public const string DefaultSqliteConnectionString = "Data Source=./data/webhooks.db";

    /// <summary>The database engine.</summary>
    /// <value>The default is <see cref="StorageProvider.Sqlite"/>.</value>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>The ADO.NET connection string (configured as <c>ConnectionStrings:Webhooks</c>).</summary>
    /// <value>The default is <see cref="DefaultSqliteConnectionString"/>.</value>
    public string ConnectionString { get; set; } = DefaultSqliteConnectionString;

    /// <summary>Null when the options make sense, else why not.</summary>
    public string? Validate() =>
        string.IsNullOrWhiteSpace(ConnectionString) ? "A storage connection string is required (ConnectionStrings:Webhooks)." : null;
}
