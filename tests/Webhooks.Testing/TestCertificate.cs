using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Webhooks.Testing;

/// <summary>Self-signed RSA certificates with their private keys, as the password-protected PFX files an operator provides.</summary>
public static class TestCertificate
{
    /// <summary>Writes a new certificate to <paramref name="folder"/> and returns the file's path.</summary>
    public static string CreatePfx(string folder, string password, string name = "keyring")
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN=Webhooks.Orleans test {name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(folder, name + ".pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }
}
