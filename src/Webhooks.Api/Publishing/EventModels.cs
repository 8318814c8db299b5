using System.Text.Json.Serialization;
using Webhooks.Abstractions.Publishing;

namespace Webhooks.Api.Publishing;

/// <summary>A page of the events feed, in acceptance order; <see cref="Next"/> is absent when nothing more is there yet.</summary>
public sealed record EventFeedModel(
    IReadOnlyList<FeedEventModel> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Next)
{
    public static EventFeedModel From(EventFeedPage page) =>
        new([.. page.Items.Select(FeedEventModel.From)], page.Next is { } next ? FeedCursor.Encode(next) : null);
}

/// <summary>One accepted event as published, and the cursor that continues the feed after it.</summary>
public sealed record FeedEventModel(string EventId, DateTimeOffset EventDate, string EventCode, string? ResourceId, RawJson? Payload, string Cursor)
{
    public static FeedEventModel From(StoredEvent stored) => new(
        stored.EventId, stored.EventDate, stored.EventCode, stored.ResourceId, RawJson.From(stored.Payload), FeedCursor.Encode(stored.Position));
}

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

/// <summary>Where one listener's delivery of the event stands (as in its delivery log), and how many attempts it took so far.</summary>
public sealed record EventDeliveryModel(string WebhookListenerId, string Status, int Attempts);
