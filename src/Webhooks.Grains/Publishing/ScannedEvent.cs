using Webhooks.Abstractions.Publishing;

namespace Webhooks.Grains.Publishing;

/// <summary>A row of the feed as scanned, before its payload is read.</summary>
internal sealed record ScannedEvent(FeedPosition Position, string EventCode, string? ResourceId);
