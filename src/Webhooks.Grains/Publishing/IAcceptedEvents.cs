namespace Webhooks.Publishing;

/// <summary>
/// The events accepted so far, one row per (tenant, event id): what makes publishing the same event id twice
/// deliver once. A table rather than a grain per event, so accepting an event costs no activation.
/// </summary>
public interface IAcceptedEvents
{
    /// <summary>How many listeners the event was queued for, when it was accepted before; otherwise null.</summary>
    Task<int?> FindAsync(string tenantId, string eventId);

    /// <summary>Records the event as accepted; if it already was, keeps and returns the first record's count.</summary>
    Task<int> RecordAsync(string tenantId, string eventId, int matched, DateTimeOffset acceptedAt);
}
