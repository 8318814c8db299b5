namespace Webhooks.Server.KeyRing;

/// <summary>A certificate with its private key, in a PKCS#12 (PFX) file.</summary>
public sealed class CertificateOptions
{
    /// <summary>The path of the PFX file.</summary>
    /// <value>The default is none.</value>
    public string? Path { get; set; }

    /// <summary>The password of the PFX file.</summary>
    /// <value>The default is none (a PFX without a password).</value>
    public string? Password { get; set; }
}
