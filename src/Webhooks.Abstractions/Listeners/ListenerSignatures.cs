namespace Webhooks.Abstractions.Listeners;

/// <summary>Which signatures a listener's requests carry: the tenant's RSA <c>N-Signature</c>, the Standard Webhooks HMAC, or both.</summary>
/// <remarks>
/// Stored by number in the listener's state and the router's intent: never renumber. Both is 0, so a listener stored
/// before the choice existed reads as both.
/// </remarks>
public enum ListenerSignatures
{
    /// <summary>The <c>N-Signature</c> and the <c>webhook-signature</c> (the default).</summary>
    Both = 0,

    /// <summary>Only the tenant's RSA <c>N-Signature</c> (with <c>N-Signature-Key-Id</c>): no HMAC is computed.</summary>
    NSignature = 1,

    /// <summary>Only the Standard Webhooks <c>webhook-signature</c>: no RSA signature is made for the listener.</summary>
    Standard = 2,
}
