namespace Webhooks.Receiving;

/// <summary>
/// What a receiver verifies deliveries with. Give the listener's secret for the Standard Webhooks signature, the
/// tenant's public key (a pinned modulus or the key set's address) for <c>N-Signature</c>, or both; each one given is
/// required unless <see cref="RequiredSignatures"/> says otherwise.
/// </summary>
public sealed class WebhookReceiverOptions
{
    /// <summary>
    /// The listener's signing secrets (<c>whsec_</c> and base64, as the API returned it). During a rotation list the
    /// new and the old one: a delivery verifies when any of its signatures matches any of these.
    /// </summary>
    /// <value>The default is empty.</value>
    public IList<string> Secrets { get; } = [];

    /// <summary>
    /// The tenant's RSA public modulus (base64url, the <c>publicKeyModulus</c> of <c>GET api/v1/account/credentials</c>),
    /// pinned: deliveries signed with any other key fail. Set this or <see cref="KeySetUri"/>, not both.
    /// </summary>
    /// <value>The default is null.</value>
    public string? PublicKeyModulus { get; set; }

    /// <summary>The exponent that goes with <see cref="PublicKeyModulus"/>, base64url.</summary>
    /// <value>The default is <c>AQAB</c> (65537), the only one the dispatcher uses.</value>
    public string PublicKeyExponent { get; set; } = "AQAB";

    /// <summary>
    /// The tenant's key set, <c>{server}/.well-known/webhooks/{tenantId}/jwks.json</c>: the key named by each delivery's
    /// <c>N-Signature-Key-Id</c> is looked up there, so verification carries on across the tenant's key rotations.
    /// </summary>
    /// <value>The default is null.</value>
    public Uri? KeySetUri { get; set; }

    /// <summary>How long a fetched key set is used before it is revalidated, when its response does not say (<c>Cache-Control: max-age</c>).</summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan KeySetCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The least time between two fetches caused by a key id the cached set does not have, so forged ids cannot make
    /// the receiver hammer the server. A rotation's new key is announced in the set a day before it signs.
    /// </summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan KeySetRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The signatures every delivery must carry and pass; null means each one whose key material is configured.</summary>
    /// <value>The default is null.</value>
    public WebhookSignatures? RequiredSignatures { get; set; }

    /// <summary>
    /// How far <c>webhook-timestamp</c> may be from now, either way; a delivery's id and attempt are remembered this long
    /// to refuse a replay.
    /// </summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest body accepted (a larger one is answered 413 unread).</summary>
    /// <value>The default is 1 MiB; the dispatcher's payloads are capped at 264 KiB by default.</value>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>The clock timestamps are checked against.</summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The signatures that are checked: <see cref="RequiredSignatures"/>, or every scheme that has key material.</summary>
    internal WebhookSignatures EffectiveSignatures => RequiredSignatures ??
        ((Secrets.Count > 0 ? WebhookSignatures.Standard : WebhookSignatures.None)
        | (PublicKeyModulus is not null || KeySetUri is not null ? WebhookSignatures.Rsa : WebhookSignatures.None));
}
