using Microsoft.AspNetCore.DataProtection;

namespace Webhooks.Server.KeyRing;

/// <summary>
/// Composes Data Protection from <see cref="KeyRingSettings"/>. In SQLite mode the ring is a folder; in PostgreSQL
/// mode the grains' registration (<c>AddWebhooks</c>) has already put it in the database, shared by every silo.
/// Either way the certificate, when configured, encrypts each key before it is stored.
/// </summary>
internal static class KeyRingSetup
{
    /// <summary>Every silo must protect and unprotect alike, whatever folder it runs from.</summary>
    public const string ApplicationName = "Webhooks.Orleans";

    public static IServiceCollection AddWebhooksKeyRing(this IServiceCollection services, KeyRingSettings settings)
    {
        var dataProtection = services.AddDataProtection().SetApplicationName(ApplicationName);
        if (settings.KeysFolder is { } folder)
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(folder));
        }

        if (settings.Certificate is { } certificate)
        {
            dataProtection.ProtectKeysWithCertificate(certificate);
            if (settings.PreviousCertificates.Count > 0)
            {
                dataProtection.UnprotectKeysWithAnyCertificate([.. settings.PreviousCertificates]);
            }
        }

        return services;
    }
}
