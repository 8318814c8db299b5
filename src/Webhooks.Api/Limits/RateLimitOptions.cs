using System.ComponentModel.DataAnnotations;

namespace Webhooks.Api.Limits;

/// <summary>
/// Request rate limits per API key, as token buckets: a key may send <c>TokenLimit</c> requests at once, and the
/// bucket refills by <c>TokensPerPeriod</c> every <c>ReplenishmentPeriod</c>. Configured in <c>Webhooks:RateLimits</c>.
/// Each server counts on its own, so a cluster of N servers allows up to N times as much.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Webhooks:RateLimits";

    // A range's failure names the setting by its key: {0} is the property, {1} and {2} the bounds.
    private const string RangeMessage = Section + ":{0} must be between {1} and {2}.";

    /// <summary>The burst of one tenant key; 0 turns the limit off for tenant keys.</summary>
    /// <value>The default is 100.</value>
    [Range(0, 1_000_000, ErrorMessage = RangeMessage)]
    public int TenantKeyTokenLimit { get; set; } = 100;

    /// <summary>Requests a tenant key regains every <see cref="TenantKeyReplenishmentPeriod"/>.</summary>
    /// <value>The default is 50.</value>
    [Range(1, 1_000_000, ErrorMessage = RangeMessage)]
    public int TenantKeyTokensPerPeriod { get; set; } = 50;

    /// <summary>How often a tenant key's bucket refills.</summary>
    /// <value>The default is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00", ParseLimitsInInvariantCulture = true, ErrorMessage = RangeMessage)]
    public TimeSpan TenantKeyReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The burst of the platform key; 0 (no limit) so the platform can publish at full speed.</summary>
    /// <value>The default is 0, no limit.</value>
    [Range(0, 1_000_000, ErrorMessage = RangeMessage)]
    public int PlatformKeyTokenLimit { get; set; }

    /// <summary>Requests the platform key regains every <see cref="PlatformKeyReplenishmentPeriod"/> when it is limited.</summary>
    /// <value>The default is 1000.</value>
    [Range(1, 1_000_000, ErrorMessage = RangeMessage)]
    public int PlatformKeyTokensPerPeriod { get; set; } = 1000;

    /// <summary>How often the platform key's bucket refills when it is limited.</summary>
    /// <value>The default is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00", ParseLimitsInInvariantCulture = true, ErrorMessage = RangeMessage)]
    public TimeSpan PlatformKeyReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);
}
