namespace Webhooks.Grains.Storage;

/// <summary>The database engines the dispatcher can keep its state in.</summary>
public enum StorageProvider
{
    /// <summary>An embedded SQLite file: one process, no set-up.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database (Npgsql): grain state, reminders and cluster membership for several silos.</summary>
    PostgreSql,
}
