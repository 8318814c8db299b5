using Webhooks.Abstractions.Publishing;

namespace Webhooks.Api.Publishing;

/// <summary>
/// One event with its delivery to each listener that queued it. <see cref="MatchedWebhooks"/> is what its publisher
/// was answered with; null while the publish has not completed (a publish that failed midway and was not repeated).
/// </summary>
public sealed record EventModel(
    string EventId,
    DateTimeOffset EventDate,
    string EventCode,
    string? ResourceId,
    RawJson? Payload,
    string Cursor,
    DateTimeOffset AcceptedAt,
    int? MatchedWebhooks,
    IReadOnlyList<EventDeliveryModel> Deliveries)
{
    public static EventModel From(EventDetails details) => new(
        details.Event.EventId, details.Event.EventDate, details.Event.EventCode, details.Event.ResourceId, RawJson.From(details.Event.Payload),
        FeedCursor.Encode(details.Event.Position), details.AcceptedAt, details.MatchedWebhooks,
        [.. details.Deliveries.Select(d => new EventDeliveryModel(d.ListenerId, d.Status.ToString().ToLowerInvariant(), d.Attempts))]);
}
