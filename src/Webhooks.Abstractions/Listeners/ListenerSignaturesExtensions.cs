namespace Webhooks.Abstractions.Listeners;

/// <summary>What a <see cref="ListenerSignatures"/> choice includes.</summary>
public static class ListenerSignaturesExtensions
{
    /// <summary>Whether the listener's requests carry the tenant's RSA <c>N-Signature</c>.</summary>
    public static bool IncludesNSignature(this ListenerSignatures signatures) => signatures != ListenerSignatures.Standard;

    /// <summary>Whether the listener's requests carry the Standard Webhooks <c>webhook-signature</c>.</summary>
    public static bool IncludesStandard(this ListenerSignatures signatures) => signatures != ListenerSignatures.NSignature;
}
