using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Grains.Storage;
using Webhooks.Server.KeyRing;

namespace Webhooks.Server.Configuration;

/// <summary>
/// The settings the host is composed from, read and checked in one place before the host is built, so a
/// configuration that cannot work stops the server with one line per setting to fix instead of a parser's
/// stack trace from deep inside start-up.
/// </summary>
internal sealed class StartupConfiguration
{
    private const string ProviderKey = StorageOptions.Section + ":" + nameof(StorageOptions.Provider);
    private const string ConnectionStringName = "Webhooks";
    private const string ConnectionStringKey = "ConnectionStrings:" + ConnectionStringName;

    private StartupConfiguration(StorageOptions storage, SiloClusterOptions cluster, KeyRingSettings keyRing)
    {
        Storage = storage;
        Cluster = cluster;
        KeyRing = keyRing;
    }

    public StorageOptions Storage { get; }

    public SiloClusterOptions Cluster { get; }

    public KeyRingSettings KeyRing { get; }

    /// <exception cref="ConfigurationProblemsException">Some setting cannot work; every one found is listed.</exception>
    public static StartupConfiguration Read(IConfiguration configuration, IHostEnvironment environment)
    {
        var problems = new List<string>();
        var storage = ReadStorage(configuration, problems);
        var cluster = ReadCluster(configuration, problems);
        var keyRing = storage is null ? null : KeyRingConfiguration.Read(configuration, environment, storage, problems);
        return problems.Count == 0 ? new StartupConfiguration(storage!, cluster, keyRing!) : throw new ConfigurationProblemsException(problems);
    }

    /// <summary>
    /// Runs the options validations registered with <c>ValidateOnStart</c> now, before the host starts, so their
    /// failures (and values the binder cannot convert) become <see cref="ConfigurationProblemsException"/> lines
    /// rather than a host start-up failure logged with its stack trace.
    /// </summary>
    public static void ValidateOptions(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException ex)
        {
            throw new ConfigurationProblemsException([.. ex.Failures]);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException || FromBinder(e)))
        {
            throw new ConfigurationProblemsException([.. ex.InnerExceptions.SelectMany(e => e is OptionsValidationException v ? v.Failures : [e.Message])]);
        }
        catch (InvalidOperationException ex) when (FromBinder(ex))
        {
            throw new ConfigurationProblemsException([ex.Message]);
        }
    }

    // The configuration binder's "Failed to convert configuration value '…' at 'Webhooks:…' to type '…'."; any other
    // InvalidOperationException is a fault of the program, not of its configuration, and keeps its stack trace.
    private static bool FromBinder(Exception exception) =>
        exception is InvalidOperationException { Source: "Microsoft.Extensions.Configuration.Binder" };

    private static StorageOptions? ReadStorage(IConfiguration configuration, List<string> problems)
    {
        var storage = new StorageOptions();
        var provider = configuration[ProviderKey];
        if (!string.IsNullOrWhiteSpace(provider))
        {
            // Enum.TryParse also takes numbers ("7") and lists ("Sqlite,PostgreSql"); only a name is a provider.
            var known = Enum.GetNames<StorageProvider>().FirstOrDefault(n => string.Equals(n, provider.Trim(), StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                problems.Add($"{ProviderKey} must be {string.Join(" or ", Enum.GetNames<StorageProvider>())}, not '{provider}'.");
                return null;
            }

            storage.Provider = Enum.Parse<StorageProvider>(known);
        }

        var connectionString = configuration.GetConnectionString(ConnectionStringName) ?? configuration[StorageOptions.Section + ":" + nameof(StorageOptions.ConnectionString)];
        if (storage.Provider == StorageProvider.PostgreSql && string.IsNullOrWhiteSpace(connectionString))
        {
            problems.Add($"{ConnectionStringKey} must be set to an Npgsql connection string (Host=…;Database=…;Username=…;Password=…) when {ProviderKey} is PostgreSql.");
            return null;
        }

        storage.ConnectionString = string.IsNullOrWhiteSpace(connectionString) ? StorageOptions.DefaultSqliteConnectionString : connectionString;
        var problem = storage.Provider == StorageProvider.Sqlite ? CheckSqlite(storage.ConnectionString) : CheckNpgsql(storage.ConnectionString);
        if (problem is not null)
        {
            problems.Add(problem);
            return null;
        }

        return storage;
    }

    private static string? CheckSqlite(string connectionString)
    {
        try
        {
            return string.IsNullOrWhiteSpace(new SqliteConnectionStringBuilder(connectionString).DataSource)
                ? $"{ConnectionStringKey} must name the SQLite file (Data Source=…) when {ProviderKey} is Sqlite."
                : null;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            return $"{ConnectionStringKey} is not a SQLite connection string ({ex.Message.TrimEnd('.')}); set {ProviderKey} to PostgreSql for an Npgsql one.";
        }
    }

    private static string? CheckNpgsql(string connectionString)
    {
        try
        {
            return string.IsNullOrWhiteSpace(new NpgsqlConnectionStringBuilder(connectionString).Host)
                ? $"{ConnectionStringKey} must name the PostgreSQL server (Host=…) when {ProviderKey} is PostgreSql."
                : null;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            return $"{ConnectionStringKey} is not an Npgsql connection string ({ex.Message.TrimEnd('.')}), which {ProviderKey}=PostgreSql needs.";
        }
    }

    private static SiloClusterOptions ReadCluster(IConfiguration configuration, List<string> problems)
    {
        SiloClusterOptions cluster;
        try
        {
            cluster = configuration.GetSection(SiloClusterOptions.Section).Get<SiloClusterOptions>() ?? new SiloClusterOptions();
        }
        catch (InvalidOperationException ex)
        {
            problems.Add(ex.Message);
            return new SiloClusterOptions();
        }

        if (!string.IsNullOrWhiteSpace(cluster.AdvertisedAddress) && !IPAddress.TryParse(cluster.AdvertisedAddress, out _))
        {
            problems.Add($"{SiloClusterOptions.Section}:{nameof(SiloClusterOptions.AdvertisedAddress)} must be an IP address, not '{cluster.AdvertisedAddress}'.");
        }

        return cluster;
    }
}
