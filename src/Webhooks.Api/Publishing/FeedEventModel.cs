using Webhooks.Abstractions.Publishing;

namespace Webhooks.Api.Publishing;

/// <summary>One accepted event as published, and the cursor that continues the feed after it.</summary>
public sealed record FeedEventModel(string EventId, DateTimeOffset EventDate, string EventCode, string? ResourceId, RawJson? Payload, string Cursor)
{
    public static FeedEventModel From(StoredEvent stored) => new(
        stored.EventId, stored.EventDate, stored.EventCode, stored.ResourceId, RawJson.From(stored.Payload), FeedCursor.Encode(stored.Position));
}
