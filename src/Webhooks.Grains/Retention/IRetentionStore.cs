namespace Webhooks.Grains.Retention;

/// <summary>
/// Removes what is past its retention, one bounded batch (one short transaction) per call. Every call is safe to
/// repeat and to interrupt: a crash between batches leaves only rows a later pass removes.
/// </summary>
/// <remarks>
/// Batches walk events in their store order (<c>WebhooksEvents.Seq</c>) from a cursor the caller passes back in, so a
/// pass reads the rows it keeps (pending deliveries, failures not yet due) once, not once per batch.
/// </remarks>
public interface IRetentionStore
{
    /// <summary>The store's sequence of the newest event accepted before <paramref name="cutoff"/>; null when there is none.</summary>
    Task<long?> LastEventBeforeAsync(DateTimeOffset cutoff);

    /// <summary>The store's sequence of the oldest event still stored; null when there is none.</summary>
    Task<long?> FirstEventAsync();

    /// <summary>
    /// Removes up to <paramref name="max"/> deliveries of events from <paramref name="fromEvent"/> on that are past their
    /// retention (<paramref name="cutoffs"/>). Never a pending one.
    /// </summary>
    Task<SweptBatch> RemoveDeliveriesAsync(long fromEvent, DeliveryCutoffs cutoffs, int max);

    /// <summary>
    /// Removes up to <paramref name="max"/> events from <paramref name="fromEvent"/> up to <paramref name="upTo"/>, accepted
    /// before <paramref name="cutoff"/>, that no pending or parked delivery refers to, and whose publish completed (else
    /// its delivery rows may still be on their way) or was abandoned: accepted before <paramref name="abandonedBefore"/>.
    /// </summary>
    Task<SweptBatch> RemoveEventsAsync(long fromEvent, long upTo, DateTimeOffset cutoff, DateTimeOffset abandonedBefore, int max);

    /// <summary>Removes up to <paramref name="max"/> event ids accepted before events were stored once, and before <paramref name="cutoff"/>.</summary>
    Task<int> RemoveLegacyEventIdsAsync(DateTimeOffset cutoff, int max);
}
