using Webhooks.Server.Tests;
using Webhooks.Testing;

namespace Webhooks.Sample.Tests;

/// <summary>Where the sample platform keeps the dispatcher's data: the embedded SQLite file, or a PostgreSQL database.</summary>
public enum StorageMode
{
    Sqlite,
    PostgreSql,
}

/// <summary>
/// The sample licensing platform (<c>samples/LicensingPlatform</c>) as its operator runs it: its build output started
/// as a process, in Production, with its data in a folder this test owns, on SQLite or on a fresh database of the
/// tests' own PostgreSQL. Every start of one instance uses the same data, so a restart finds what the last run stored.
/// </summary>
internal sealed class SamplePlatform : IDisposable
{
    private const string CertificatePassword = "sample-keyring-password";

    private static readonly ServerProcess.Host Host =
        new("samples/LicensingPlatform", "LicensingPlatform", "Licensing__SiloPort", "Licensing__GatewayPort", "health");

    private readonly string _folder;
    private readonly Dictionary<string, string> _settings;

    private SamplePlatform(StorageMode mode, string folder, string webhooksDatabase, Dictionary<string, string> settings)
    {
        Mode = mode;
        _folder = folder;
        WebhooksDatabase = webhooksDatabase;
        _settings = settings;
    }

    public StorageMode Mode { get; }

    /// <summary>The connection string of the dispatcher's database.</summary>
    public string WebhooksDatabase { get; }

    /// <summary>The platform's own grain storage: one JSON file per grain.</summary>
    public string StateFolder => Path.Combine(_folder, "state");

    public static async Task<SamplePlatform> CreateAsync(StorageMode mode)
    {
        var folder = Directory.CreateTempSubdirectory("webhooks-sample-").FullName;
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Licensing__StateFolder"] = Path.Combine(folder, "state"),
            ["Licensing__KeysFolder"] = Path.Combine(folder, "keys"),
            ["Licensing__KeyRingCertificatePath"] = TestCertificate.CreatePfx(folder, CertificatePassword),
            ["Licensing__KeyRingCertificatePassword"] = CertificatePassword,
            // Seconds, not the hour of the sample's default, so a test sees the host's reminder fire several times.
            ["Licensing__RenewalCheckPeriod"] = "00:00:01",
            // The listener is on loopback, which Production refuses unless told otherwise.
            ["Webhooks__Delivery__AllowPrivateNetworks"] = "true",
        };
        string database;
        if (mode == StorageMode.PostgreSql)
        {
            database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
            settings["Webhooks__Storage__Provider"] = "PostgreSql";
        }
        else
        {
            database = $"Data Source={Path.Combine(folder, "webhooks.db")}";
        }

        settings["ConnectionStrings__Webhooks"] = database;
        return new SamplePlatform(mode, folder, database, settings);
    }

    /// <summary>
    /// Starts the platform; with <paramref name="crashAt"/> (<c>AfterStateWrite</c>, <c>AfterPublish</c>) its test hook
    /// kills it at that point of an entitlement's next change.
    /// </summary>
    public Task<ServerProcess> StartAsync(string? crashAt = null)
    {
        var settings = new Dictionary<string, string>(_settings);
        if (crashAt is not null)
        {
            settings["Licensing__CrashAt"] = crashAt;
        }

        return ServerProcess.StartAsync(Host, _folder, settings);
    }

    /// <summary>Every row of every table of the dispatcher's database.</summary>
    public Task<Dictionary<string, List<string[]>>> ReadWebhooksTablesAsync() =>
        EveryTable.ReadAsync(Mode == StorageMode.PostgreSql, WebhooksDatabase);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
