namespace Webhooks.Abstractions.Tenants;

/// <summary>
/// One of a tenant's <c>N-Signature</c> keys as stored, with its schedule: published from <see cref="CreatedAt"/>, signing
/// from <see cref="ActivatesAt"/> until the next key's activation, and published until <see cref="RetiresAt"/> (none
/// while no key has replaced it).
/// </summary>
/// <param name="PrivateKey">The RSA private key, PKCS#8, protected by Data Protection: ciphertext at rest. Only silos can open it.</param>
/// <param name="Modulus">The public modulus, base64url (the exponent is AQAB).</param>
/// <param name="CreatedAt">When the key was made and published.</param>
/// <param name="ActivatesAt">When deliveries start to be signed with it.</param>
/// <param name="RetiresAt">When it leaves the key set; set when a rotation schedules its successor.</param>
[GenerateSerializer, Immutable, Alias("webhooks.ProtectedSigningKey")]
public sealed record ProtectedSigningKey(
    [property: Id(0)] byte[] PrivateKey,
    [property: Id(1)] string Modulus,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] DateTimeOffset ActivatesAt,
    [property: Id(4)] DateTimeOffset? RetiresAt = null);
