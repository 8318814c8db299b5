using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;
using Webhooks.Grains.Storage;

namespace Webhooks.Server.KeyRing;

/// <summary>Reads <see cref="KeyRingOptions"/> and loads its certificates, reporting each setting that cannot work.</summary>
internal static class KeyRingConfiguration
{
    private const string CertificateKey = KeyRingOptions.Section + ":" + nameof(KeyRingOptions.Certificate);
    private const string PreviousKey = KeyRingOptions.Section + ":" + nameof(KeyRingOptions.PreviousCertificates);

    /// <summary>The settings, or null when <paramref name="problems"/> got at least one line.</summary>
    public static KeyRingSettings? Read(IConfiguration configuration, IHostEnvironment environment, StorageOptions storage, List<string> problems)
    {
        var before = problems.Count;
        var options = configuration.GetSection(KeyRingOptions.Section).Get<KeyRingOptions>() ?? new KeyRingOptions();
        X509Certificate2? certificate = null;
        if (!string.IsNullOrWhiteSpace(options.Certificate.Path))
        {
            certificate = Load(options.Certificate, CertificateKey, problems);
        }
        else if (storage.Provider == StorageProvider.PostgreSql && !environment.IsDevelopment())
        {
            problems.Add($"{CertificateKey}:Path must be set in PostgreSQL mode outside Development: the key ring in the database " +
                $"is encrypted with that certificate (a PFX file; its password in {CertificateKey}:Password).");
        }
        else if (options.PreviousCertificates.Count > 0)
        {
            problems.Add($"{PreviousKey} only decrypt; set {CertificateKey}:Path to the certificate that encrypts new keys.");
        }

        var previous = new List<X509Certificate2>();
        for (var i = 0; i < options.PreviousCertificates.Count; i++)
        {
            var key = $"{PreviousKey}:{i}";
            if (string.IsNullOrWhiteSpace(options.PreviousCertificates[i].Path))
            {
                problems.Add($"{key}:Path must name a PFX file.");
            }
            else if (Load(options.PreviousCertificates[i], key, problems) is { } loaded)
            {
                previous.Add(loaded);
            }
        }

        if (problems.Count > before)
        {
            return null;
        }

        var folder = storage.Provider == StorageProvider.Sqlite ? KeysFolder(options, storage) : null;
        return new KeyRingSettings(folder, certificate, previous);
    }

    /// <summary>The configured folder, or a <c>keys</c> folder beside the SQLite file (the ring travels with the database).</summary>
    private static string KeysFolder(KeyRingOptions options, StorageOptions storage)
    {
        if (options.KeysFolder is { Length: > 0 } configured)
        {
            return configured;
        }

        var database = Path.GetFullPath(new SqliteConnectionStringBuilder(storage.ConnectionString).DataSource);
        return Path.Combine(Path.GetDirectoryName(database)!, "keys");
    }

    private static X509Certificate2? Load(CertificateOptions options, string key, List<string> problems)
    {
        var path = options.Path!;
        if (!File.Exists(path))
        {
            problems.Add($"{key}:Path names no file: '{path}' does not exist.");
            return null;
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, options.Password);
        }
        catch (CryptographicException ex)
        {
            problems.Add($"{key}:Password does not open the PFX file at {key}:Path '{path}' (wrong password, or not a PKCS#12 file: {ex.Message.TrimEnd('.')}).");
            return null;
        }

        if (!certificate.HasPrivateKey || certificate.GetRSAPublicKey() is null)
        {
            problems.Add($"{key}:Path must name an RSA certificate with its private key; '{path}' has {(certificate.HasPrivateKey ? "a non-RSA key" : "no private key")}.");
            certificate.Dispose();
            return null;
        }

        return certificate;
    }
}
