using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;
using Webhooks.Grains.KeyRing;
using Webhooks.Grains.Storage;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.KeyRing;

/// <summary>
/// Silos starting together against an empty database share one first key (<see cref="KeyRingInitializer"/>): each
/// silo here is a service provider of its own with the database key ring, as <c>AddWebhooks</c> registers it.
/// </summary>
public sealed class KeyRingInitializerTests : IAsyncLifetime
{
    private const int Silos = 8;

    private readonly List<ServiceProvider> _silos = [];
    private string _connectionString = null!;

    public async Task InitializeAsync() => _connectionString = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
    }

    [Fact]
    public async Task SilosStartingTogether_OnAnEmptyDatabase_CreateOneKey_AndReadEachOthersSecrets()
    {
        var silos = Enumerable.Range(0, Silos).Select(_ => Silo("webhooks")).ToList();

        // Hold the key-ring lock, as the silo creating the first key does, until every silo is queued behind it:
        // then they all go at the ring together, which is when each would otherwise create a key of its own.
        await using var holder = new NpgsqlConnection(_connectionString);
        await holder.OpenAsync();
        await using var holding = await holder.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({KeyRingInitializer.KeyRingLockKey})", holder, holding))
        {
            await take.ExecuteNonQueryAsync();
        }

        var starting = silos.Select(s => Task.Run(() => Initializer(s).StartingAsync(CancellationToken.None))).ToList();
        await WaitUntilQueuedAsync(holder, Silos);
        Assert.Equal(0L, await CountKeysAsync("webhooks"));
        await holding.CommitAsync();
        await Task.WhenAll(starting);

        Assert.Equal(1L, await CountKeysAsync("webhooks"));
        var protectedByFirst = Protector(silos[0]).Protect("whsec_of-the-first-silo");
        Assert.All(silos, s => Assert.Equal("whsec_of-the-first-silo", Protector(s).Unprotect(protectedByFirst)));
    }

    [Fact]
    public async Task Starting_WhenTheRingHasAUsableKey_CreatesNone_AndAnotherServiceGetsItsOwn()
    {
        await Initializer(Silo("webhooks")).StartingAsync(CancellationToken.None);
        await Initializer(Silo("webhooks")).StartingAsync(CancellationToken.None);
        await Initializer(Silo("other")).StartingAsync(CancellationToken.None);

        Assert.Equal(1L, await CountKeysAsync("webhooks"));
        Assert.Equal(1L, await CountKeysAsync("other"));
    }

    [Fact]
    public async Task Starting_WithACertificateThatCannotDecryptTheRing_Refuses_InsteadOfCreatingAnotherKey()
    {
        var folder = Directory.CreateTempSubdirectory("webhooks-keyring-certificates-").FullName;
        try
        {
            var first = Load(TestCertificate.CreatePfx(folder, "pw", "first"));
            var second = Load(TestCertificate.CreatePfx(folder, "pw", "second"));
            await Initializer(Silo("webhooks", d => d.ProtectKeysWithCertificate(first))).StartingAsync(CancellationToken.None);

            var wrong = Initializer(Silo("webhooks", d => d.ProtectKeysWithCertificate(second)));
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => wrong.StartingAsync(CancellationToken.None));
            Assert.Contains("cannot decrypt", refused.Message, StringComparison.Ordinal);
            Assert.Equal(1L, await CountKeysAsync("webhooks"));

            // After a rotation the new certificate encrypts and the previous one still opens the ring.
            var rotated = Silo("webhooks", d => d.ProtectKeysWithCertificate(second).UnprotectKeysWithAnyCertificate(first));
            await Initializer(rotated).StartingAsync(CancellationToken.None);
            Assert.Equal(1L, await CountKeysAsync("webhooks"));
            var protectedByFirst = Protector(_silos[0]).Protect("whsec_before-the-rotation");
            Assert.Equal("whsec_before-the-rotation", Protector(rotated).Unprotect(protectedByFirst));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        static X509Certificate2 Load(string path) => X509CertificateLoader.LoadPkcs12FromFile(path, "pw");
    }

    private ServiceProvider Silo(string serviceId, Action<IDataProtectionBuilder>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<StorageOptions>().Configure(o =>
        {
            o.Provider = StorageProvider.PostgreSql;
            o.ConnectionString = _connectionString;
        });
        services.Configure<ClusterOptions>(o => o.ServiceId = serviceId);
        services.AddDatabaseKeyRing();
        var dataProtection = services.AddDataProtection().SetApplicationName("Webhooks.Orleans");
        configure?.Invoke(dataProtection);
        var silo = services.BuildServiceProvider();
        _silos.Add(silo);
        return silo;
    }

    private static KeyRingInitializer Initializer(IServiceProvider silo) =>
        silo.GetServices<IHostedService>().OfType<KeyRingInitializer>().Single();

    private static IDataProtector Protector(IServiceProvider silo) =>
        silo.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");

    /// <summary>Polls PostgreSQL until <paramref name="count"/> sessions wait for the key-ring lock in this database.</summary>
    private static async Task WaitUntilQueuedAsync(NpgsqlConnection connection, int count)
    {
        // A bigint advisory key shows in pg_locks as its high half (classid) and low half (objid), objsubid 1.
        var waiting = $"""
            SELECT COUNT(*) FROM pg_locks
            WHERE locktype = 'advisory' AND NOT granted AND objsubid = 1
              AND classid::bigint = {KeyRingInitializer.KeyRingLockKey >> 32} AND objid::bigint = {KeyRingInitializer.KeyRingLockKey & 0xFFFF_FFFF}
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """;
        var deadline = Stopwatch.StartNew();
        long queued;
        while ((queued = await CountAsync()) < count)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"{queued} of {count} silos queued for the key-ring lock; the others went ahead without it");
            await Task.Delay(50);
        }

        async Task<long> CountAsync()
        {
            await using var command = new NpgsqlCommand(waiting, connection);
            return (long)(await command.ExecuteScalarAsync())!;
        }
    }

    private async Task<long> CountKeysAsync(string serviceId)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM webhooksdataprotectionkeys WHERE serviceid = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
