using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Webhooks.Abstractions.Tenants;

/// <summary>
/// The key id of a tenant's <c>N-Signature</c> key: its RFC 7638 JWK thumbprint (SHA-256 of the canonical
/// <c>{"e","kty","n"}</c> JSON, base64url), which a listener can also compute from the key itself.
/// </summary>
public static class JwkThumbprint
{
    /// <summary>The thumbprint of the RSA public key with base64url <paramref name="modulus"/> and <paramref name="exponent"/>.</summary>
    public static string OfRsa(string modulus, string exponent) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes($$"""{"e":"{{exponent}}","kty":"RSA","n":"{{modulus}}"}""")));
}
