namespace Webhooks.Abstractions.Listeners;

/// <summary>What order a listener's deliveries reach it in.</summary>
/// <remarks>Stored by number in the listener's state: never renumber.</remarks>
public enum ListenerOrdering
{
    /// <summary>No promise: due deliveries go out in parallel, up to the listener's concurrency (the default).</summary>
    None = 0,

    /// <summary>
    /// Deliveries with the same resource id arrive in acceptance order, each only once the one before it has succeeded,
    /// been skipped or finally failed; different resources go in parallel. Events without a resource id are not ordered.
    /// </summary>
    Resource = 1,

    /// <summary>One delivery at a time, in acceptance order, for the whole listener.</summary>
    Listener = 2,
}
