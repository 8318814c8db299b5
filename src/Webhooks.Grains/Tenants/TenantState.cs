using Webhooks.Abstractions.Tenants;

namespace Webhooks.Grains.Tenants;

/// <summary>The persisted state of a tenant.</summary>
[GenerateSerializer, Alias("webhooks.TenantState")]
public sealed class TenantState
{
    [Id(0)] public string? Name { get; set; }
    [Id(1)] public DateTimeOffset CreatedAt { get; set; }
    [Id(2)] public List<StoredApiKey> ApiKeys { get; set; } = [];

    /// <summary>
    /// The one signing key of a tenant stored before rotation existed (PKCS#8, protected by Data Protection); moved into
    /// <see cref="SigningKeys"/> on first use, and null after.
    /// </summary>
    [Id(3)] public byte[]? ProtectedSigningKey { get; set; }

    /// <summary>The public modulus of <see cref="ProtectedSigningKey"/>, base64url; null once moved.</summary>
    [Id(4)] public string? SigningKeyModulus { get; set; }

    /// <summary>When the tenant's deletion was accepted; null while it is in service.</summary>
    [Id(5)] public DateTimeOffset? DeletingSince { get; set; }

    /// <summary>The tenant's <c>N-Signature</c> keys with their schedule, oldest activation first (<c>SigningKeySchedule</c>).</summary>
    [Id(6)] public List<ProtectedSigningKey> SigningKeys { get; set; } = [];

    public bool Exists => Name is not null;

    /// <summary>Exists and is not being deleted: its keys verify and its key list may change.</summary>
    public bool Live => Exists && DeletingSince is null;
}

/// <summary>An API key as stored: its id, the SHA-256 of its secret (never the secret itself) and an optional name.</summary>
[GenerateSerializer, Alias("webhooks.StoredApiKey")]
public sealed record StoredApiKey(
    [property: Id(0)] string KeyId,
    [property: Id(1)] byte[] SecretHash,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] string? Name = null);
