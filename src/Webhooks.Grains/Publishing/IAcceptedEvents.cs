using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Publishing;

namespace Webhooks.Grains.Publishing;

/// <summary>
/// The events accepted so far, each stored once (table <c>WebhooksEvents</c>): what makes publishing the same event
/// id twice deliver once, where every delivery reads its payload, and the tenant's events feed. A table rather than
/// a grain per event, so accepting an event costs no activation.
/// </summary>
public interface IAcceptedEvents
{
    /// <summary>
    /// Stores the event, with no outcome yet, unless its id was accepted before; returns what is stored under the id:
    /// the event with its <see cref="EventEnvelope.Seq"/>, and its outcome once its publish completed.
    /// </summary>
    Task<AcceptedEvent> AcceptAsync(EventEnvelope envelope, DateTimeOffset acceptedAt);

    /// <summary>
    /// Records the publish's outcome: the listeners that queued the event. The first outcome recorded wins; returns its count.
    /// </summary>
    Task<int> CompleteAsync(long seq, IReadOnlyList<string> listenerIds);

    /// <summary>What deliveries need of the events <paramref name="seqs"/>; an event no longer stored is left out.</summary>
    Task<IReadOnlyDictionary<long, EventContent>> GetContentAsync(IReadOnlyCollection<long> seqs);

    /// <summary>A page of the tenant's feed: never an event that could still be followed by one accepted before it.</summary>
    Task<EventFeedPage> ReadAsync(string tenantId, EventFeedQuery query);

    /// <summary>One of the tenant's events with its outcome; null when there is none.</summary>
    Task<AcceptedEventRecord?> FindAsync(string tenantId, string eventId);
}
