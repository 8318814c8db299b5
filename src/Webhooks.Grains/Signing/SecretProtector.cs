using Microsoft.AspNetCore.DataProtection;

namespace Webhooks.Grains.Signing;

/// <summary>
/// Protects the secrets grains keep (tenant private keys, listener signing secrets) with ASP.NET Core Data
/// Protection, so grain state at rest holds only ciphertext. One purpose per kind of secret.
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _privateKeys = provider.CreateProtector("Webhooks.TenantSigningKey.v1");
    private readonly IDataProtector _listenerSecrets = provider.CreateProtector("Webhooks.ListenerSecret.v1");

    public byte[] ProtectPrivateKey(byte[] pkcs8) => _privateKeys.Protect(pkcs8);

    public byte[] UnprotectPrivateKey(byte[] protectedKey) => _privateKeys.Unprotect(protectedKey);

    public string ProtectListenerSecret(string secret) => _listenerSecrets.Protect(secret);

    public string UnprotectListenerSecret(string protectedSecret) => _listenerSecrets.Unprotect(protectedSecret);
}
