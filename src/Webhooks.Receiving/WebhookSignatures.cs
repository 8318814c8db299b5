namespace Webhooks.Receiving;

/// <summary>The signatures a delivery carries, as a set: which ones the receiver requires.</summary>
[Flags]
public enum WebhookSignatures
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>Standard Webhooks: <c>webhook-signature</c>, an HMAC-SHA256 made with the listener's <c>whsec_</c> secret.</summary>
    Standard = 1,

    /// <summary><c>N-Signature</c>: RSA PKCS#1 v1.5 with SHA-256 over the body, made with the tenant's key.</summary>
    Rsa = 2,

    /// <summary>Both.</summary>
    Both = Standard | Rsa,
}
