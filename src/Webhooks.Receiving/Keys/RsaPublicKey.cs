using System.Security.Cryptography;

namespace Webhooks.Receiving.Keys;

/// <summary>A tenant's RSA public key, with its id in the key set (null for a pinned modulus).</summary>
internal sealed record RsaPublicKey(string? Id, byte[] Modulus, byte[] Exponent)
{
    /// <summary>Whether <paramref name="signature"/> (base64) is this key's RSA PKCS#1 v1.5 SHA-256 signature of <paramref name="body"/>.</summary>
    public bool Verifies(ReadOnlySpan<byte> body, string signature)
    {
        // A 2048-bit key's signature is 256 bytes; room for a 4096-bit one, and nothing unbounded from a header.
        Span<byte> decoded = stackalloc byte[512];
        if (!Convert.TryFromBase64String(signature, decoded, out var written))
        {
            return false;
        }

        // One instance per check: RSA objects are not documented as safe for concurrent use, and importing a public key is cheap.
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportParameters(new RSAParameters { Modulus = Modulus, Exponent = Exponent });
            return rsa.VerifyData(body, decoded[..written], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
