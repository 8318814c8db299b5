using System.Collections.Immutable;
using Webhooks.Abstractions.Delivery;

namespace Webhooks.Abstractions.Listeners;

/// <summary>One webhook listener, keyed by its <c>wh_…</c> id: its URI, event filter and delivery state.</summary>
public interface IListenerGrain : IGrainWithStringKey
{
    /// <summary>The listener, or null when it does not exist (never created, or deleted).</summary>
    [ReadOnly]
    Task<ListenerView?> GetAsync();

    /// <summary>
    /// Applies a change issued by the tenant's router; not applied when the router already fenced it off. The change
    /// that creates the listener also makes its signing secret, returned once in the resolution.
    /// </summary>
    Task<ListenerResolution> ApplyAsync(ListenerChange change);

    /// <summary>Reports whether <paramref name="operationId"/> took effect and, when it did not, fences it so it never will.</summary>
    Task<ListenerResolution> ResolveAsync(Guid operationId);

    /// <summary>
    /// Queues events for delivery and returns once they are on storage, with one answer per event: false when the
    /// listener is gone. A disabled listener takes them as parked deliveries, attempted only once it is enabled.
    /// An event id already queued is not queued again. One write for the whole
    /// batch; interleaves, so concurrent batches share one write too.
    /// </summary>
    [AlwaysInterleave]
    Task<ImmutableArray<bool>> EnqueueAsync(ImmutableArray<EventEnvelope> envelopes);

    /// <summary>Queues the test event (one attempt, never retried; sent even while the listener is disabled) and returns its id; null when <paramref name="tenantId"/> has no such listener.</summary>
    Task<string?> TestAsync(string tenantId);

    /// <summary>
    /// Sends the test event like <see cref="TestAsync"/> (even while the listener is disabled) and waits for its attempt to end,
    /// at most <see cref="TestRequest.Wait"/>, the delivery timeout and 25 s (below the grain call's response timeout); then,
    /// when asked, sends the signature probe and judges its answer within what remains of that bound. Interleaves: the wait
    /// blocks no other call. Null when <paramref name="tenantId"/> has no such listener.
    /// </summary>
    [AlwaysInterleave]
    Task<TestReport?> TestAndReportAsync(string tenantId, TestRequest request);

    /// <summary>A page of the delivery log, newest first; null when <paramref name="tenantId"/> has no such listener.</summary>
    [ReadOnly]
    Task<DeliveryPage?> GetDeliveriesAsync(string tenantId, DeliveryStatus? status, int pageNumber, int pageSize);

    /// <summary>The listener's delivery of one event; null when there is no such listener or it has no delivery of that event.</summary>
    [ReadOnly]
    Task<DeliveryView?> GetDeliveryAsync(string tenantId, string eventId);

    /// <summary>The listener's stats: attempts over the last hour and day, what waits, its concurrency limit, its last failure. Null when there is no such listener.</summary>
    [ReadOnly]
    Task<ListenerStats?> GetStatsAsync(string tenantId);

    /// <summary>Starts a fresh attempt series for a finished delivery; null when there is no such listener, false when no such finished delivery.</summary>
    Task<bool?> RedeliverAsync(string tenantId, string eventId);

    /// <summary>
    /// Re-queues every failed delivery created at or after <paramref name="since"/> and before <paramref name="until"/>
    /// (exclusive; no end when null); null when there is no such listener.
    /// </summary>
    Task<int?> RecoverAsync(string tenantId, DateTimeOffset since, DateTimeOffset? until);

    /// <summary>Issues a new signing secret; the old one keeps signing alongside it for the configured overlap. Null when there is no such listener.</summary>
    Task<string?> RotateSecretAsync(string tenantId);

    /// <summary>
    /// Turns a disabled listener back on; delivery resumes. Its parked deliveries become pending, in order of
    /// acceptance (<paramref name="replayParked"/>), or skipped. Null when there is no such listener.
    /// </summary>
    Task<ListenerView?> EnableAsync(string tenantId, bool replayParked = true);

    /// <summary>Disables the listener by hand: no attempts, new events parked, until it is enabled. Null when there is no such listener.</summary>
    Task<ListenerView?> DisableAsync(string tenantId);

    /// <summary>Activates the listener, which starts whatever attempts are due; nothing more when it is already active.</summary>
    [AlwaysInterleave]
    Task WakeAsync();

    /// <summary>Stops delivering for good, because the tenant is being deleted: attempts in flight are abandoned and none starts again.</summary>
    Task StopAsync();

    /// <summary>
    /// For the tenant's deletion: stops, then removes the listener's stored state and its row on the wake-up list. Its delivery rows
    /// are left to the caller, which removes them in bounded batches.
    /// </summary>
    Task PurgeAsync();
}
