namespace Webhooks.Server.KeyRing;

/// <summary>
/// Where the Data Protection key ring lives and what encrypts it; configured as <c>Webhooks:DataProtection</c>.
/// The ring encrypts tenant private keys and listener signing secrets at rest.
/// </summary>
public sealed class KeyRingOptions
{
    /// <summary>The configuration section, <c>Webhooks:DataProtection</c>.</summary>
    public const string Section = "Webhooks:DataProtection";

    /// <summary>The folder of the ring in SQLite mode; in PostgreSQL mode the ring is in the database and this is not read.</summary>
    /// <value>The default is a <c>keys</c> folder beside the SQLite database file.</value>
    public string? KeysFolder { get; set; }

    /// <summary>The certificate that encrypts every key of the ring before it is stored, and decrypts it again.</summary>
    /// <value>The default is none: keys are stored unencrypted, which PostgreSQL mode allows only in Development.</value>
    public CertificateOptions Certificate { get; set; } = new();

    /// <summary>Certificates that only decrypt: the ones keys were encrypted with before a certificate rotation.</summary>
    /// <value>The default is none.</value>
    public List<CertificateOptions> PreviousCertificates { get; set; } = [];
}
