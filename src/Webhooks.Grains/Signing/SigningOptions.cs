using Webhooks.Grains.Hosting;

namespace Webhooks.Grains.Signing;

/// <summary>How a tenant's <c>N-Signature</c> key is rotated; configured as <c>Webhooks:Signing</c>.</summary>
/// <remarks>
/// A rotation publishes the next key in the tenant's key set at once; deliveries switch to it
/// <see cref="KeyActivationDelay"/> later, and the key it replaces stays in the key set for
/// <see cref="KeyRetirementDelay"/> after that switch.
/// </remarks>
public sealed class SigningOptions : ISelfValidatingOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Webhooks:Signing";

    /// <summary>How long a new key is published before deliveries are signed with it: the time listeners have to fetch it.</summary>
    /// <value>The default is 24 hours.</value>
    public TimeSpan KeyActivationDelay { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a replaced key stays in the key set after the switch, for bodies it signed just before.</summary>
    /// <value>The default is 7 days.</value>
    public TimeSpan KeyRetirementDelay { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a silo signs from its copy of a tenant's keys before reading them again. Bounds how late another silo
    /// learns of an emergency switch (<c>activateNow</c>); a scheduled switch needs no refresh, since every copy carries
    /// the activation time.
    /// </summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Null when the options make sense, else why not.</summary>
    public string? Validate() =>
        KeyActivationDelay < TimeSpan.Zero || KeyActivationDelay > TimeSpan.FromDays(365)
            ? "Webhooks:Signing:KeyActivationDelay must be between 0 and 365 days."
        : KeyRetirementDelay < TimeSpan.Zero || KeyRetirementDelay > TimeSpan.FromDays(365)
            ? "Webhooks:Signing:KeyRetirementDelay must be between 0 and 365 days."
        : KeyRefreshInterval <= TimeSpan.Zero || KeyRefreshInterval > TimeSpan.FromHours(1)
            ? "Webhooks:Signing:KeyRefreshInterval must be positive and at most 1 hour."
        : null;
}
