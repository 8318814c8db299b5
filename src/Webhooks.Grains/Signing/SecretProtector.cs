using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Webhooks.Grains.Signing;

/// <summary>
/// Protects the secrets grains keep (tenant private keys, listener signing secrets, listeners' own request headers) with ASP.NET Core Data
/// Protection, so grain state at rest holds only ciphertext. One purpose per kind of secret.
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _privateKeys = provider.CreateProtector("Webhooks.TenantSigningKey.v1");
    private readonly IDataProtector _listenerSecrets = provider.CreateProtector("Webhooks.ListenerSecret.v1");
    private readonly IDataProtector _listenerHeaders = provider.CreateProtector("Webhooks.ListenerHeaders.v1");

    public byte[] ProtectPrivateKey(byte[] pkcs8) => _privateKeys.Protect(pkcs8);

    public byte[] UnprotectPrivateKey(byte[] protectedKey) => _privateKeys.Unprotect(protectedKey);

    public string ProtectListenerSecret(string secret) => _listenerSecrets.Protect(secret);

    public string UnprotectListenerSecret(string protectedSecret) => _listenerSecrets.Unprotect(protectedSecret);

    /// <summary>A listener's own headers as protected JSON; null for none.</summary>
    public string? ProtectListenerHeaders(IReadOnlyDictionary<string, string>? headers) =>
        headers is { Count: > 0 } ? _listenerHeaders.Protect(JsonSerializer.Serialize(headers)) : null;

    /// <summary>A listener's own headers from their protected JSON; empty for none.</summary>
    public ImmutableDictionary<string, string> UnprotectListenerHeaders(string? protectedHeaders) =>
        protectedHeaders is null
            ? ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.OrdinalIgnoreCase)
            : JsonSerializer.Deserialize<Dictionary<string, string>>(_listenerHeaders.Unprotect(protectedHeaders))!
                .ToImmutableDictionary(StringComparer.OrdinalIgnoreCase);
}
