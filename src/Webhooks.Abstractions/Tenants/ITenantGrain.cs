using System.Collections.Immutable;

namespace Webhooks.Abstractions.Tenants;

/// <summary>One tenant, keyed by its <c>t_…</c> id: its name and hashed API keys.</summary>
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Creates the tenant with its first API key; null when the id is already taken.</summary>
    Task<TenantCreated?> CreateAsync(string name);

    /// <summary>The tenant, or null when it does not exist.</summary>
    [ReadOnly]
    Task<TenantView?> GetAsync();

    /// <summary>True when <paramref name="key"/> is a live key of this tenant.</summary>
    [ReadOnly]
    Task<bool> VerifyKeyAsync(ApiKey key);

    /// <summary>Issues another API key, shown this once; null when the tenant does not exist.</summary>
    Task<ApiKeyCreated?> CreateKeyAsync(string? name);

    /// <summary>The tenant's live keys, without their secrets; null when the tenant does not exist.</summary>
    [ReadOnly]
    Task<ApiKeyList?> ListKeysAsync();

    /// <summary>Revokes a key: from this call on it verifies nowhere. False when the tenant has no such key.</summary>
    Task<bool> RevokeKeyAsync(string keyId);

    /// <summary>The public half of the <c>N-Signature</c> key signing now; null when the tenant does not exist.</summary>
    Task<TenantCredentials?> GetCredentialsAsync();

    /// <summary>Every public key a listener may see a signature from now (waiting, active, retiring); null when the tenant does not exist.</summary>
    Task<TenantKeySet?> GetKeySetAsync();

    /// <summary>The private key signing now, as stored: PKCS#8 protected by Data Protection. Only silos can open it.</summary>
    Task<byte[]> GetProtectedSigningKeyAsync();

    /// <summary>The keys not yet retired, protected, with their activation times: what a silo signs from until it reads them again.</summary>
    Task<ImmutableArray<ProtectedSigningKey>> GetSigningKeysAsync();

    /// <summary>
    /// Makes the next <c>N-Signature</c> key and publishes it at once; deliveries switch to it after the activation delay, or
    /// now with <paramref name="activateNow"/>. A key still waiting is replaced. Null when the tenant does not exist.
    /// </summary>
    Task<SigningKeyRotated?> RotateSigningKeyAsync(bool activateNow);

    /// <summary>
    /// Starts deleting the tenant, or confirms a deletion already under way; null when there is no such tenant. The intent
    /// is stored before this returns, and from then on its keys verify nowhere, its router refuses publishes and edits,
    /// and its listeners attempt nothing. Its data is removed in the background, surviving restarts, until none is left.
    /// </summary>
    Task<TenantView?> DeleteAsync();

    /// <summary>Activates the tenant, which resumes a deletion under way; nothing more for a tenant that is not being deleted.</summary>
    Task WakeAsync();

    /// <summary>True while the tenant is being deleted. Interleaves: the listeners that the deletion stops ask it while it runs.</summary>
    [AlwaysInterleave]
    Task<bool> IsDeletingAsync();
}

/// <summary>Where a tenant is in its life: in service, or being deleted (its data is being removed; it is gone once done).</summary>
[GenerateSerializer]
public enum TenantStatus
{
    Active,
    Deleting,
}

/// <summary>What a listener needs to verify <c>N-Signature</c>: the RSA public modulus (base64url) and exponent.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.TenantCredentials")]
public sealed record TenantCredentials(
    [property: Id(0)] string PublicKeyModulus,
    [property: Id(1)] string PublicKeyExponent);

/// <summary>The public keys of a tenant's key set, oldest activation first.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.TenantKeySet")]
public sealed record TenantKeySet([property: Id(0)] ImmutableArray<TenantCredentials> Keys);

/// <summary>A tenant as the platform sees it.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.TenantView")]
public sealed record TenantView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] TenantStatus Status = TenantStatus.Active);

/// <summary>A new tenant and its API key, which is shown this once and stored only as a hash.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.TenantCreated")]
public sealed record TenantCreated(
    [property: Id(0)] TenantView Tenant,
    [property: Id(1)] string ApiKey);

/// <summary>An API key as it may be shown again: its id, name and prefix, never its secret or hash.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.ApiKeyView")]
public sealed record ApiKeyView(
    [property: Id(0)] string Id,
    [property: Id(1)] string? Name,
    [property: Id(2)] string Prefix,
    [property: Id(3)] DateTimeOffset CreatedAt);

/// <summary>A new API key: <see cref="ApiKey"/> is the full key, shown this once and stored only as a hash.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.ApiKeyCreated")]
public sealed record ApiKeyCreated(
    [property: Id(0)] ApiKeyView Key,
    [property: Id(1)] string ApiKey);

/// <summary>A tenant's live API keys, oldest first.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.ApiKeyList")]
public sealed record ApiKeyList([property: Id(0)] ImmutableArray<ApiKeyView> Keys);
