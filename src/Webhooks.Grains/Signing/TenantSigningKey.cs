using System.Buffers.Text;
using System.Security.Cryptography;
using Webhooks.Abstractions.Tenants;

namespace Webhooks.Grains.Signing;

/// <summary>
/// A tenant's 2048-bit RSA key for <c>N-Signature</c>: RSA PKCS#1 v1.5 over SHA-256 of the body bytes. The
/// private half is kept only protected; listeners verify with the public modulus (exponent AQAB).
/// </summary>
public static class TenantSigningKey
{
    public const int KeySizeBits = 2048;

    /// <summary>The public exponent of every key, base64url (65537).</summary>
    public const string Exponent = "AQAB";

    /// <summary>A new key pair: the protected PKCS#8 private key and the base64url public modulus.</summary>
    public static (byte[] ProtectedPrivateKey, string Modulus) Create(SecretProtector protector)
    {
        using var rsa = RSA.Create(KeySizeBits);
        var modulus = Base64Url.EncodeToString(rsa.ExportParameters(includePrivateParameters: false).Modulus);
        return (protector.ProtectPrivateKey(rsa.ExportPkcs8PrivateKey()), modulus);
    }

    /// <summary>Loads a protected private key for signing.</summary>
    public static RSA Load(SecretProtector protector, byte[] protectedPrivateKey)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(protector.UnprotectPrivateKey(protectedPrivateKey), out _);
        return rsa;
    }

    /// <summary>The key's id, as deliveries name it (<c>N-Signature-Key-Id</c>) and the key set lists it: its JWK thumbprint.</summary>
    public static string KeyId(RSA key)
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        return JwkThumbprint.OfRsa(Base64Url.EncodeToString(parameters.Modulus), Base64Url.EncodeToString(parameters.Exponent));
    }

    public static string Sign(RSA key, ReadOnlySpan<byte> body) =>
        Convert.ToBase64String(key.SignData(body, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
}
