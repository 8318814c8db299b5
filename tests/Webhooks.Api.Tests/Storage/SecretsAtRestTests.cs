using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Abstractions.Tenants;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Grains.Signing;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Storage;

/// <summary>
/// What the database holds after real API use: no API key, no listener secret (current or rotated out) and no
/// private key (the signing one, nor the next one a rotation made) in any readable form, in any row of any table, nor
/// anywhere in the database's files.
/// </summary>
public sealed class SecretsAtRestTests(ApiServer server) : ApiTest(server), IClassFixture<ApiServer>
{
    // Every Data Protection payload starts with this magic header (version 0x09F0C9F0).
    private static readonly byte[] DataProtectionMagic = [0x09, 0xF0, 0xC9, 0xF0];

    [Fact]
    public async Task Database_AfterTenantsKeysListenersAndARotation_HoldsNoSecretInClearText()
    {
        var tenant = await Server.CreateTenantAsync("At rest");
        using var keyResponse = await Server.Platform.PostAsJsonAsync($"api/v1/tenants/{tenant.Id}/keys", new { name = "second" });
        Assert.Equal(HttpStatusCode.Created, keyResponse.StatusCode);
        var secondKey = (await Json.ReadObjectAsync(keyResponse)).String("apiKey");
        var first = await tenant.Client.CreateListenerAsync("https://hooks.example.com/one", "*");
        var second = await tenant.Client.CreateListenerAsync("https://hooks.example.com/two", "entitlement.created");
        using var rotate = await tenant.Client.PostAsync($"{Route}/{first.String("id")}/secret/rotate", null);
        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        var rotated = (await Json.ReadObjectAsync(rotate)).String("secret");
        using var rotateKey = await tenant.Client.PostAsync("api/v1/account/credentials/rotate", null);
        Assert.Equal(HttpStatusCode.OK, rotateKey.StatusCode);
        var signingKeys = await SigningKeysAsync(tenant.Id);
        Assert.Equal(2, signingKeys.Count); // the key signing now, and the next one, waiting

        var stored = ReadEveryValue();
        var files = ReadDatabaseFiles();

        var forbidden = new List<string>();
        foreach (var apiKey in new[] { tenant.ApiKey, secondKey })
        {
            forbidden.Add(apiKey);
            forbidden.Add(apiKey.Split('.')[3]); // the secret part alone
        }

        foreach (var secret in new[] { first.String("secret"), second.String("secret"), rotated })
        {
            var body = secret["whsec_".Length..];
            forbidden.AddRange([secret, body, Convert.ToHexString(Convert.FromBase64String(body))]);
        }

        foreach (var (_, privateKey) in signingKeys)
        {
            var d = privateKey.ExportParameters(includePrivateParameters: true).D!;
            var pkcs8 = privateKey.ExportPkcs8PrivateKey();
            forbidden.AddRange([
                Convert.ToBase64String(pkcs8)[..64], Convert.ToBase64String(pkcs8)[^64..], Convert.ToBase64String(d)[..64],
                System.Buffers.Text.Base64Url.EncodeToString(d)[..64], Convert.ToHexString(d)[..64]]);
        }

        forbidden.AddRange(["PRIVATE KEY", "\"d\":", "\"D\":"]);

        Assert.All(forbidden, secret =>
        {
            Assert.DoesNotContain(stored, value => value.Contains(secret, StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(secret, files, StringComparison.OrdinalIgnoreCase);
        });
        // The private keys are there, but only as Data Protection ciphertext; and the database read is the one in use.
        Assert.All(signingKeys, key =>
        {
            Assert.Equal(DataProtectionMagic, key.Protected[..4]);
            Assert.Contains(stored, value => value.Contains(Convert.ToBase64String(key.Protected), StringComparison.Ordinal));
        });
        Assert.Contains(stored, value => value.Contains(tenant.ApiKey.Split('.')[2], StringComparison.Ordinal));
        Assert.Contains(stored, value => value.Contains(first.String("id"), StringComparison.Ordinal));
    }

    /// <summary>The tenant's signing keys as stored, each opened with the server's own Data Protection keys.</summary>
    private async Task<List<(byte[] Protected, RSA PrivateKey)>> SigningKeysAsync(string tenantId)
    {
        var grains = Server.Services.GetRequiredService<IGrainFactory>();
        var protector = Server.Services.GetRequiredService<SecretProtector>();
        var keys = await grains.GetGrain<ITenantGrain>(tenantId).GetSigningKeysAsync();
        return [.. keys.Select(k => (k.PrivateKey, TenantSigningKey.Load(protector, k.PrivateKey)))];
    }

    /// <summary>Every cell of every table, text as it is and blobs as UTF-8, base64 and hex.</summary>
    private List<string> ReadEveryValue()
    {
        using var connection = new SqliteConnection($"Data Source={Server.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table';";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var values = new List<string>();
        foreach (var table in tables)
        {
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\";";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    switch (reader.GetValue(i))
                    {
                        case byte[] blob:
                            values.AddRange([Encoding.UTF8.GetString(blob), Convert.ToBase64String(blob), Convert.ToHexString(blob)]);
                            break;
                        case DBNull:
                            break;
                        case var value:
                            values.Add(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
                            break;
                    }
                }
            }
        }

        Assert.Contains("OrleansStorage", tables);
        return values;
    }

    /// <summary>The database file and its journals as bytes, so nothing outside a live row (free pages, the WAL) escapes.</summary>
    private string ReadDatabaseFiles()
    {
        var text = new StringBuilder();
        foreach (var path in new[] { Server.DatabasePath, Server.DatabasePath + "-wal", Server.DatabasePath + "-journal" }.Where(File.Exists))
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            file.CopyTo(memory);
            text.Append(Encoding.Latin1.GetString(memory.ToArray())).Append('\n');
        }

        return text.ToString();
    }
}
