using System.Security.Cryptography;
using System.Xml;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.KeyManagement.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Grains.Storage;
using Webhooks.Grains.Storage.PostgreSql;

namespace Webhooks.Grains.KeyRing;

/// <summary>
/// On PostgreSQL, makes sure the key ring holds a usable key before anything reads it, creating the first key
/// once for the whole cluster rather than once per silo.
/// </summary>
/// <remarks>
/// <para>
/// Data Protection loads its ring on first use (and its own hosted service pre-loads it at start); finding no key,
/// each process creates one and caches a ring with only its own. Silos starting together against an empty database
/// would then each encrypt with a key the others have not loaded, and a ring is re-read only every 24 hours (an
/// unknown key triggers a re-read only in a process's first two minutes). So this runs in
/// <see cref="StartingAsync"/>, before any hosted service starts (the silo and Data Protection's pre-load among
/// them), and under a transaction-scoped advisory lock it reads the ring through <see cref="IKeyManager"/> and
/// creates a key only if the default key resolver finds none to use: the first silo creates it, the others queue
/// on the lock and then find it.
/// </para>
/// <para>
/// Later rotations need no lock. A key lives 90 days by default; during the refresh that precedes the last two days
/// (the propagation window) before the default key expires, a silo creates its successor with an activation date
/// of that expiry, that is, still in the future. Every silo re-reads the ring at least every 24 hours, so all of
/// them hold the successor before it becomes the one that encrypts. Two silos creating a successor at the same time
/// only add two future keys to the table; the resolver picks the same default from the same keys, and either key
/// can decrypt what the other encrypted because every silo has both.
/// </para>
/// </remarks>
internal sealed partial class KeyRingInitializer(
    IOptions<StorageOptions> storage,
    IOptions<KeyManagementOptions> keyManagement,
    IKeyManager keys,
    IDefaultKeyResolver resolver,
    TimeProvider time,
    ILogger<KeyRingInitializer> logger,
    ILogger<PostgreSqlSchemaInstaller> schemaLogger) : IHostedLifecycleService
{
    /// <summary>The advisory lock held while the first key is looked for and created ("WHKEYRNG" in ASCII).</summary>
    internal const long KeyRingLockKey = 0x5748_4B45_5952_4E47;

    public Task StartingAsync(CancellationToken cancellationToken) =>
        storage.Value.Provider == StorageProvider.PostgreSql ? EnsureKeyAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>Installs the schema (the key table with it) if needed, then creates a key unless a usable one exists.</summary>
    internal async Task EnsureKeyAsync(CancellationToken cancellationToken)
    {
        var connectionString = storage.Value.ConnectionString;
        await PostgreSqlSchemaInstaller.InstallAsync(connectionString, schemaLogger, cancellationToken);
        if (keyManagement.Value.XmlEncryptor is null)
        {
            LogUnencrypted(logger);
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({KeyRingLockKey});", connection, transaction))
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        var now = time.GetUtcNow();
        var all = keys.GetAllKeys();
        if (resolver.ResolveDefaultKeyPolicy(now, all).DefaultKey is null)
        {
            // Keys that are still current but that this silo cannot decrypt mean a wrong certificate, not an empty
            // ring: a new key would encrypt secrets the other silos cannot read, so refuse to start instead.
            var unreadable = all.Count(k => !k.IsRevoked && k.ExpirationDate > now && !CanDecrypt(k));
            if (unreadable > 0)
            {
                throw new InvalidOperationException(
                    $"The Data Protection key ring holds {unreadable} current key(s) this silo cannot decrypt: it is not configured with the " +
                    "certificate they were encrypted with (Webhooks:DataProtection:Certificate, or PreviousCertificates after a rotation).");
            }

            var key = keys.CreateNewKey(activationDate: now, expirationDate: now + keyManagement.Value.NewKeyLifetime);
            LogCreated(logger, key.KeyId);
        }

        await transaction.CommitAsync(cancellationToken); // releases the lock
    }

    private static bool CanDecrypt(IKey key)
    {
        try
        {
            return key.CreateEncryptor() is not null;
        }
        catch (Exception ex) when (ex is CryptographicException or InvalidOperationException or XmlException)
        {
            return false;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the first Data Protection key {KeyId} of this service's key ring")]
    private static partial void LogCreated(ILogger logger, Guid keyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Data Protection key ring is stored in the database unencrypted: anyone who can read the database can read the secrets it protects. Set Webhooks:DataProtection:Certificate:Path outside Development.")]
    private static partial void LogUnencrypted(ILogger logger);
}
