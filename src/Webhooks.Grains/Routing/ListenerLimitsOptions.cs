namespace Webhooks.Grains.Routing;

/// <summary>How many listeners one tenant may have; configured in <c>Webhooks:Limits</c>.</summary>
public sealed class ListenerLimitsOptions
{
    /// <summary>The configuration section, shared with the HTTP API's own limits.</summary>
    public const string Section = "Webhooks:Limits";

    /// <summary>The largest value <see cref="MaxListenersPerTenant"/> accepts.</summary>
    public const int MaxAllowed = 1_000_000;

    /// <summary>
    /// Listeners one tenant may have at once. The tenant's router enforces it, one add at a time, so concurrent
    /// adds cannot overshoot it.
    /// </summary>
    /// <value>The default is 1000.</value>
    public int MaxListenersPerTenant { get; set; } = 1000;
}
