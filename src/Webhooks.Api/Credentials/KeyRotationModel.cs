using Webhooks.Abstractions.Tenants;

namespace Webhooks.Api.Credentials;

/// <summary>
/// A rotation's outcome: the new key (already in the key set) and when deliveries switch to it, and the key signing until
/// then with when it leaves the key set.
/// </summary>
/// <param name="Kid">The new key's id, as deliveries will name it in <c>N-Signature-Key-Id</c>.</param>
/// <param name="PublicKeyModulus">The new key's modulus, base64url.</param>
/// <param name="PublicKeyExponent">The new key's exponent, base64url (AQAB).</param>
/// <param name="ActivatesAt">When deliveries start to be signed with the new key.</param>
/// <param name="PreviousKid">The key signing until then.</param>
/// <param name="PreviousRetiresAt">When the previous key leaves the key set.</param>
public sealed record KeyRotationModel(
    string Kid, string PublicKeyModulus, string PublicKeyExponent, DateTimeOffset ActivatesAt, string PreviousKid, DateTimeOffset PreviousRetiresAt)
{
    public static KeyRotationModel From(SigningKeyRotated rotated) => new(
        JwkThumbprint.OfRsa(rotated.Key.PublicKeyModulus, rotated.Key.PublicKeyExponent),
        rotated.Key.PublicKeyModulus,
        rotated.Key.PublicKeyExponent,
        rotated.ActivatesAt,
        JwkThumbprint.OfRsa(rotated.Previous.PublicKeyModulus, rotated.Previous.PublicKeyExponent),
        rotated.PreviousRetiresAt);
}
