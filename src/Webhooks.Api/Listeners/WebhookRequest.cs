using System.ComponentModel.DataAnnotations;

namespace Webhooks.Api.Listeners;

/// <summary>The body of create and update: where to send, and which events (<c>*</c> for all).</summary>
/// <param name="Uri">An absolute http(s) URI, at most 2048 characters.</param>
/// <param name="Subscriptions">At least one event code from the catalog, or <c>*</c>.</param>
/// <param name="Description">Optional free text for the tenant's own reference.</param>
/// <param name="MaxDeliveriesPerSecond">
/// Optional: at most this many attempts a second to the listener (0.01 to 10,000); deliveries beyond it wait. Omitted
/// or null: no limit of the listener's own. Like every field, it is replaced by an update.
/// </param>
/// <param name="Ordering">
/// Optional: <c>none</c> (omitted or null too), <c>resource</c> (deliveries of one <c>resourceId</c> arrive in the order
/// the events were accepted, each once the one before it succeeded, was skipped or finally failed) or <c>listener</c>
/// (one at a time, in acceptance order, for the whole listener).
/// </param>
/// <param name="Headers">
/// Optional: up to 10 headers of the listener's own that every request to it carries (a static token for its gateway,
/// say). Names the dispatcher sets or that control the connection are refused. Values are kept encrypted and shown
/// back masked; a value sent back exactly as shown keeps the stored one. Like every field, replaced by an update.
/// </param>
/// <param name="Signatures">
/// Optional: which signatures every request to the listener carries — <c>n-signature</c> (the tenant's RSA
/// <c>N-Signature</c> with <c>N-Signature-Key-Id</c>), <c>standard</c> (the Standard Webhooks <c>webhook-signature</c>), or
/// both, each named once, exactly in lowercase. Omitted or null: both. Like every field, it is replaced by an update.
/// </param>
public sealed record WebhookRequest(
    [property: Required, MaxLength(WebhookRequestValidator.MaxUriLength)] string? Uri,
    [property: Required, MinLength(1)] string?[]? Subscriptions,
    [property: MaxLength(WebhookRequestValidator.MaxDescriptionLength)] string? Description = null,
    [property: Range(WebhookRequestValidator.MinDeliveriesPerSecond, WebhookRequestValidator.MaxDeliveriesPerSecond)] double? MaxDeliveriesPerSecond = null,
    [property: AllowedValues(WebhookOrdering.None, WebhookOrdering.Resource, WebhookOrdering.Listener)] string? Ordering = null,
    Dictionary<string, string?>? Headers = null,
    [property: MinLength(1), MaxLength(2), AllowedValues(WebhookSignatures.NSignature, WebhookSignatures.Standard)] string?[]? Signatures = null);
