using System.Collections.Immutable;

namespace Webhooks.Abstractions.Publishing;

/// <summary>
/// A place in a tenant's events feed, in the store's own order (never the wall clock): <see cref="Seq"/> on SQLite,
/// whose one writer commits sequence values in order; (<see cref="Commit"/>, <see cref="Seq"/>) on PostgreSQL, where
/// <see cref="Commit"/> is the inserting transaction's id (see <c>deploy/sql/postgresql/008-events.sql</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("webhooks.FeedPosition")]
public sealed record FeedPosition(
    [property: Id(0)] long Commit,
    [property: Id(1)] long Seq);

/// <summary>What to read of the feed: events after <see cref="After"/> (from the oldest kept when null), optionally only one code or resource.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.EventFeedQuery")]
public sealed record EventFeedQuery(
    [property: Id(0)] FeedPosition? After,
    [property: Id(1)] int Limit,
    [property: Id(2)] string? EventCode = null,
    [property: Id(3)] string? ResourceId = null);

/// <summary>One accepted event as stored: <see cref="Payload"/> is raw JSON.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.StoredEvent")]
public sealed record StoredEvent(
    [property: Id(0)] string EventId,
    [property: Id(1)] DateTimeOffset EventDate,
    [property: Id(2)] string EventCode,
    [property: Id(3)] string? ResourceId,
    [property: Id(4)] string? Payload,
    [property: Id(5)] FeedPosition Position);

/// <summary>A page of the feed, in acceptance order; <see cref="Next"/> is where to continue, null when nothing more is there yet.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.EventFeedPage")]
public sealed record EventFeedPage(
    [property: Id(0)] ImmutableArray<StoredEvent> Items,
    [property: Id(1)] FeedPosition? Next);

/// <summary>
/// One event and what became of it: when it was accepted, the count its publisher was answered with (null while the
/// publish has not completed), and its delivery to each listener that queued it.
/// </summary>
[GenerateSerializer, Immutable, Alias("webhooks.EventDetails")]
public sealed record EventDetails(
    [property: Id(0)] StoredEvent Event,
    [property: Id(1)] DateTimeOffset AcceptedAt,
    [property: Id(2)] int? MatchedWebhooks,
    [property: Id(3)] ImmutableArray<EventDelivery> Deliveries);

/// <summary>Where one listener's delivery of an event stands.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.EventDelivery")]
public sealed record EventDelivery(
    [property: Id(0)] string ListenerId,
    [property: Id(1)] Delivery.DeliveryStatus Status,
    [property: Id(2)] int Attempts);
