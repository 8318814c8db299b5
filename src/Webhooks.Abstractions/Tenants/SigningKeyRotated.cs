namespace Webhooks.Abstractions.Tenants;

/// <summary>The key a rotation made: its public half, and when deliveries switch to it.</summary>
/// <param name="Key">The new key's public modulus and exponent.</param>
/// <param name="ActivatesAt">When deliveries start to be signed with it.</param>
/// <param name="Previous">The key that signs until then (and stays published for the retirement delay after).</param>
/// <param name="PreviousRetiresAt">When the previous key leaves the key set.</param>
[GenerateSerializer, Immutable, Alias("webhooks.SigningKeyRotated")]
public sealed record SigningKeyRotated(
    [property: Id(0)] TenantCredentials Key,
    [property: Id(1)] DateTimeOffset ActivatesAt,
    [property: Id(2)] TenantCredentials Previous,
    [property: Id(3)] DateTimeOffset PreviousRetiresAt);
