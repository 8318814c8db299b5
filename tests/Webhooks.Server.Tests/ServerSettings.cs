using Webhooks.Testing;

namespace Webhooks.Server.Tests;

/// <summary>Environment variables that several server-process tests start their servers with.</summary>
internal static class ServerSettings
{
    /// <summary>Retries every second for a minute, and a reminder period of two seconds, so tests wait seconds, not hours.</summary>
    public static IReadOnlyDictionary<string, string> FastRetries { get; } = Enumerable.Range(0, 60)
        .Select(i => KeyValuePair.Create($"Webhooks__Delivery__RetrySchedule__{i}", "00:00:01"))
        .Append(KeyValuePair.Create("Webhooks__Delivery__WakeInterval", "00:00:02"))
        .ToDictionary();

    /// <summary>The password of the key ring certificates the tests write.</summary>
    public const string CertificatePassword = "test-keyring-password";

    /// <summary>
    /// PostgreSQL mode (in the Development environment ServerProcess starts) on a fresh database of the shared test PostgreSQL: every server started with these joins one
    /// cluster (same cluster id, loopback as the advertised address) and shares one Data Protection key ring, kept
    /// in that database and encrypted with a certificate written to <paramref name="dataFolder"/>.
    /// </summary>
    public static async Task<Dictionary<string, string>> PostgreSqlClusterAsync(string dataFolder)
    {
        var postgres = await PostgresServer.SharedAsync();
        return new Dictionary<string, string>
        {
            ["Webhooks__Storage__Provider"] = "PostgreSql",
            ["ConnectionStrings__Webhooks"] = await postgres.CreateDatabaseAsync(),
            ["Webhooks__Cluster__AdvertisedAddress"] = "127.0.0.1",
            ["Webhooks__Cluster__ClusterId"] = "pg-" + Guid.NewGuid().ToString("N")[..8],
            ["Webhooks__DataProtection__Certificate__Path"] = TestCertificate.CreatePfx(dataFolder, CertificatePassword),
            ["Webhooks__DataProtection__Certificate__Password"] = CertificatePassword,
        };
    }
}
