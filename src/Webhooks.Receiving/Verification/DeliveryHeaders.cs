namespace Webhooks.Receiving.Verification;

/// <summary>The headers the dispatcher signs a delivery with.</summary>
public static class DeliveryHeaders
{
    /// <summary>Standard Webhooks: the event's id, stable across retries.</summary>
    public const string Id = "webhook-id";

    /// <summary>Standard Webhooks: when the attempt was signed, in Unix seconds.</summary>
    public const string Timestamp = "webhook-timestamp";

    /// <summary>Standard Webhooks: <c>v1,</c> and the base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c>, space-separated, one per live secret.</summary>
    public const string Signature = "webhook-signature";

    /// <summary>Base64 RSA PKCS#1 v1.5 signature with SHA-256 over the body, with the tenant's key.</summary>
    public const string RsaSignature = "N-Signature";

    /// <summary>The id of the tenant key that made <see cref="RsaSignature"/>: its <c>kid</c> in the tenant's key set.</summary>
    public const string RsaKeyId = "N-Signature-Key-Id";

    /// <summary>Marks the dispatcher's deliberately mis-signed request that checks a listener refuses forgeries (its value: <c>invalid-signature</c>).</summary>
    public const string Probe = "webhook-probe";
}
