using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Npgsql;
using Webhooks.Testing;

namespace Webhooks.Server.Tests;

/// <summary>
/// PostgreSQL mode keeps the Data Protection key ring in the database, encrypted with the operator's certificate
/// (issue #13): a server starts in Production with only the documented settings, and the silos of a cluster share
/// one ring, with no shared folder, that outlives them all.
/// </summary>
public sealed class KeyRingProcessTests : IDisposable
{
    private const int Listeners = 5;

    private readonly string _dataFolder = Directory.CreateTempSubdirectory("webhooks-keyring-").FullName;

    [Fact]
    public async Task PostgreSqlMode_InProduction_StartsWithOnlyTheDocumentedSettings_AndStoresTheRingEncrypted()
    {
        var postgres = await PostgresServer.SharedAsync();
        var database = await postgres.CreateDatabaseAsync();
        var platformKey = "platform-" + Guid.NewGuid().ToString("N");
        await using var server = await ServerProcess.StartAsync(_dataFolder, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Webhooks__Storage__Provider"] = "PostgreSql",
            ["ConnectionStrings__Webhooks"] = database,
            ["Webhooks__Auth__PlatformKey"] = platformKey,
            ["Webhooks__DataProtection__Certificate__Path"] = TestCertificate.CreatePfx(_dataFolder, ServerSettings.CertificatePassword),
            ["Webhooks__DataProtection__Certificate__Password"] = ServerSettings.CertificatePassword,
            ["Webhooks__Cluster__AdvertisedAddress"] = "127.0.0.1",
        });

        // Creating a tenant protects its new RSA private key with the ring.
        using var platform = new ApiClient(server.Address, platformKey);
        var tenant = await platform.SendAsync(HttpMethod.Post, "api/v1/tenants", new { name = "Production Ltd" }, HttpStatusCode.Created);
        using var client = new ApiClient(server.Address, tenant.GetProperty("apiKey").GetString()!);
        await client.SendAsync(HttpMethod.Get, "api/v1/account/credentials", null, HttpStatusCode.OK);

        AssertEncrypted(Assert.Single(await KeyRingRowsAsync(database)));
    }

    [Fact]
    public async Task PostgreSqlMode_InDevelopment_StartsWithoutACertificate_AndWarnsOnceThatTheRingIsUnencrypted()
    {
        var postgres = await PostgresServer.SharedAsync();
        var database = await postgres.CreateDatabaseAsync();
        await using var server = await ServerProcess.StartAsync(_dataFolder, new Dictionary<string, string>
        {
            ["Webhooks__Storage__Provider"] = "PostgreSql",
            ["ConnectionStrings__Webhooks"] = database,
            ["Webhooks__Cluster__AdvertisedAddress"] = "127.0.0.1",
        });

        var (_, client) = await ApiClient.CreateTenantAsync(server.Address, "Development Ltd");
        client.Dispose();
        await server.StopAsync();

        Assert.Single(server.Output.Split('\n'), l => l.Contains("key ring is stored in the database unencrypted", StringComparison.Ordinal));
        Assert.Contains("<masterKey", Assert.Single(await KeyRingRowsAsync(database)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThreeSilos_StartedTogetherOnAnEmptyDatabase_ShareOneKeyRing_ThatOutlivesThem()
    {
        var settings = await ServerSettings.PostgreSqlClusterAsync(_dataFolder);
        var database = settings["ConnectionStrings__Webhooks"];
        var listenerPort = FreePort.Next();
        await using var listener = await TestReceiver.StartAsync(listenerPort);
        var silos = await StartTogetherAsync(settings);
        try
        {
            AssertEncrypted(Assert.Single(await KeyRingRowsAsync(database)));

            // Tenant and listeners created through the first silo: each listener's secret is shown this once.
            var (_, creator) = await ApiClient.CreateTenantAsync(silos[0].Address, "Key Ring Ltd");
            var secrets = new Dictionary<string, string>();
            using (creator)
            {
                for (var i = 0; i < Listeners; i++)
                {
                    var created = await creator.SendAsync(HttpMethod.Post, "api/v1/account/webhooks",
                        new { uri = $"http://127.0.0.1:{listenerPort}/hook?listener={i}", subscriptions = new[] { "*" } }, HttpStatusCode.Created);
                    secrets[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = created.GetProperty("secret").GetString()!;
                }
            }

            var apiKey = creator.Key;
            await PublishAndVerifyAsync(listener, secrets, apiKey, publishVia: silos[1], credentialsVia: silos[2]);

            // The third silo alone: it activates every listener and unprotects secrets and keys the others protected.
            await silos[0].StopAsync();
            await silos[1].StopAsync();
            await PublishAndVerifyAsync(listener, secrets, apiKey, publishVia: silos[2], credentialsVia: silos[2]);

            // Every silo gone and back: the ring, in the database, still opens everything.
            await silos[2].StopAsync();
            await DisposeAllAsync(silos);
            silos = [];
            silos = await StartTogetherAsync(settings);
            await PublishAndVerifyAsync(listener, secrets, apiKey, publishVia: silos[0], credentialsVia: silos[1]);
            Assert.Single(await KeyRingRowsAsync(database));
        }
        finally
        {
            await DisposeAllAsync(silos);
        }
    }

    [Fact]
    public async Task SqliteMode_WithACertificate_StoresKeysEncrypted_AndAfterARotationThePreviousCertificateStillOpensThem()
    {
        var listenerPort = FreePort.Next();
        await using var listener = await TestReceiver.StartAsync(listenerPort);
        var secrets = new Dictionary<string, string>();
        string apiKey;
        await using (var before = await ServerProcess.StartAsync(_dataFolder, new Dictionary<string, string>
        {
            ["Webhooks__DataProtection__Certificate__Path"] = TestCertificate.CreatePfx(_dataFolder, "old-password", "old"),
            ["Webhooks__DataProtection__Certificate__Password"] = "old-password",
        }))
        {
            var (_, client) = await ApiClient.CreateTenantAsync(before.Address, "Rotating Ltd");
            using (client)
            {
                foreach (var name in new[] { "a", "b" })
                {
                    var created = await client.SendAsync(HttpMethod.Post, "api/v1/account/webhooks",
                        new { uri = $"http://127.0.0.1:{listenerPort}/hook?listener={name}", subscriptions = new[] { "*" } }, HttpStatusCode.Created);
                    secrets[name] = created.GetProperty("secret").GetString()!;
                }

                apiKey = client.Key;
            }

            await before.StopAsync();
        }

        var keys = Path.Combine(_dataFolder, "keys");
        AssertEncrypted(await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(keys, "key-*.xml"))));

        // A new certificate encrypts from now on; the old one, listed as previous, still opens the stored key.
        await using var after = await ServerProcess.StartAsync(_dataFolder, new Dictionary<string, string>
        {
            ["Webhooks__DataProtection__Certificate__Path"] = TestCertificate.CreatePfx(_dataFolder, "new-password", "new"),
            ["Webhooks__DataProtection__Certificate__Password"] = "new-password",
            ["Webhooks__DataProtection__PreviousCertificates__0__Path"] = Path.Combine(_dataFolder, "old.pfx"),
            ["Webhooks__DataProtection__PreviousCertificates__0__Password"] = "old-password",
        });
        await PublishAndVerifyAsync(listener, secrets, apiKey, publishVia: after, credentialsVia: after);
        Assert.Single(Directory.GetFiles(keys, "key-*.xml")); // no replacement key was needed
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataFolder, recursive: true);
    }

    /// <summary>
    /// Publishes one event to every listener, then checks each delivery's <c>webhook-signature</c> against the
    /// listener's secret and its <c>N-Signature</c> against the tenant's public key.
    /// </summary>
    private static async Task PublishAndVerifyAsync(
        TestReceiver listener, Dictionary<string, string> secrets, string apiKey, ServerProcess publishVia, ServerProcess credentialsVia)
    {
        using var publisher = new ApiClient(publishVia.Address, apiKey);
        var accepted = await publisher.SendAsync(HttpMethod.Post, "api/v1/events",
            new { eventCode = "entitlement.created", resourceId = "ent_" + Guid.NewGuid().ToString("N") }, HttpStatusCode.Accepted);
        var eventId = accepted.GetProperty("eventId").GetString()!;
        using var reader = new ApiClient(credentialsVia.Address, apiKey);
        var credentials = await reader.SendAsync(HttpMethod.Get, "api/v1/account/credentials", null, HttpStatusCode.OK);
        var (modulus, exponent) = (credentials.GetProperty("publicKeyModulus").GetString()!, credentials.GetProperty("publicKeyExponent").GetString()!);

        var deadline = Stopwatch.StartNew();
        List<SignedDelivery> deliveries;
        while ((deliveries = [.. listener.Signed.Where(d => EventId(d) == eventId)]).Select(d => d.Listener).Distinct().Count() < secrets.Count)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(90), $"only {deliveries.Count} of {secrets.Count} listeners got event {eventId}");
            await Task.Delay(100);
        }

        foreach (var delivery in deliveries)
        {
            Assert.True(delivery.HasValidWebhookSignature(secrets[delivery.Listener!]), $"webhook-signature of listener {delivery.Listener} does not verify");
            Assert.True(delivery.HasValidNSignature(modulus, exponent), $"N-Signature to listener {delivery.Listener} does not verify");
        }

        // Not vacuous: another listener's secret does not verify the signature.
        Assert.False(deliveries[0].HasValidWebhookSignature(secrets.First(s => s.Key != deliveries[0].Listener).Value));
    }

    private static string? EventId(SignedDelivery delivery) =>
        JsonDocument.Parse(delivery.Body).RootElement.GetProperty("eventId").GetString();

    private async Task<ServerProcess[]> StartTogetherAsync(Dictionary<string, string> settings)
    {
        var starting = Enumerable.Range(0, 3).Select(_ => ServerProcess.StartAsync(_dataFolder, settings)).ToList();
        try
        {
            return await Task.WhenAll(starting);
        }
        catch
        {
            await DisposeAllAsync([.. starting.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result)]);
            throw;
        }
    }

    private static async Task DisposeAllAsync(ServerProcess[] silos)
    {
        foreach (var silo in silos)
        {
            await silo.DisposeAsync();
        }
    }

    /// <summary>The key ring's rows (one XML element each), oldest first.</summary>
    private static async Task<List<string>> KeyRingRowsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xml FROM webhooksdataprotectionkeys ORDER BY seq", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    /// <summary>The key's secret is stored only as XML encryption to the certificate, never as the plaintext master key.</summary>
    private static void AssertEncrypted(string keyXml)
    {
        Assert.Contains("<EncryptedData", keyXml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", keyXml, StringComparison.Ordinal);
    }
}
