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

/// <summary>
/// What is stored under an event id: the event (its <see cref="EventEnvelope.Seq"/> null when it was accepted before
/// events were stored once, and only its outcome is known) and the count its publish was answered with, null until
/// the publish completes.
/// </summary>
public sealed record AcceptedEvent(EventEnvelope Event, int? Matched);

/// <summary>What a delivery needs of its event besides the id and code, read from the store when it is not in memory.</summary>
public sealed record EventContent(string? ResourceId, DateTimeOffset EventDate, string? Payload);

/// <summary>A stored event, when it was accepted, and its publish's outcome (null until the publish completed).</summary>
public sealed record AcceptedEventRecord(StoredEvent Event, DateTimeOffset AcceptedAt, int? Matched, IReadOnlyList<string> ListenerIds);
