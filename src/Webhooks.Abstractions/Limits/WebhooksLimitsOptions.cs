using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Webhooks.Abstractions.Limits;

/// <summary>
/// Every <c>Webhooks:Limits</c> setting, for the silo and the HTTP API alike: how many listeners a tenant may have, how
/// many event codes one listener may subscribe to, and how large a request body and an event's payload may be. The one
/// owner of the section: bound and validated once, by <see cref="LimitsServiceCollectionExtensions.AddWebhooksLimits"/>.
/// </summary>
public sealed class WebhooksLimitsOptions
{
    /// <summary>The configuration section, <c>Webhooks:Limits</c>.</summary>
    public const string Section = "Webhooks:Limits";

    // A range's failure names the setting by its key: {0} is the property, {1} and {2} the bounds. The byte counts'
    // bounds are doubles, which any long converts to: an int range throws on a value beyond int's instead of failing.
    private const string RangeMessage = Section + ":{0} must be between {1} and {2}.";

    /// <summary>
    /// Listeners one tenant may have at once; one more is a 409. The tenant's router enforces it, one add at a time,
    /// so concurrent adds cannot overshoot it.
    /// </summary>
    /// <value>The default is 1000; 1 to 1,000,000.</value>
    [Range(1, 1_000_000, ErrorMessage = RangeMessage)]
    public int MaxListenersPerTenant { get; set; } = 1000;

    /// <summary>Event codes one listener may subscribe to; more is a 422.</summary>
    /// <value>The default is 100; 1 to 10,000.</value>
    [Range(1, 10_000, ErrorMessage = RangeMessage)]
    public int MaxSubscriptionsPerListener { get; set; } = 100;

    /// <summary>The largest body of a management request (listeners, tenants, keys); a larger one is answered with 413.</summary>
    /// <value>The default is 65 536 (64 KiB); 1 KiB to 16 MiB.</value>
    [Range(1024d, 16d * 1024 * 1024, ErrorMessage = RangeMessage)]
    public long MaxManagementBodyBytes { get; set; } = 64 * 1024;

    /// <summary>The largest body of <c>POST api/v1/events</c>; a larger one is answered with 413.</summary>
    /// <value>The default is 270 336 (264 KiB), a 256 KiB payload and room for the rest of the event; 1 KiB to 64 MiB.</value>
    [Range(1024d, 64d * 1024 * 1024, ErrorMessage = RangeMessage)]
    public long MaxPublishBodyBytes { get; set; } = (256 + 8) * 1024;

    /// <summary>
    /// The largest payload of an event, in bytes of UTF-8, on both publishing paths; a larger one is refused with a
    /// <c>payload</c> error.
    /// </summary>
    /// <value>
    /// The default is 270 336 (264 KiB), the default of <see cref="MaxPublishBodyBytes"/>, so the in-process publisher
    /// accepts every payload the HTTP API does with the default settings; 1 KiB to 64 MiB.
    /// </value>
    [Range(1024, 64 * 1024 * 1024, ErrorMessage = RangeMessage)]
    public int MaxPayloadBytes { get; set; } = (256 + 8) * 1024;

    /// <summary>Checks every range above, with one message per setting out of its range.</summary>
    internal sealed class Validator : IValidateOptions<WebhooksLimitsOptions>
    {
        public ValidateOptionsResult Validate(string? name, WebhooksLimitsOptions options)
        {
            var results = new List<ValidationResult>();
            return System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true)
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(results.Select(r => r.ErrorMessage ?? $"{Section}:{string.Join(", ", r.MemberNames)} is not valid."));
        }
    }
}
