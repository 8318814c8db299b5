using Webhooks.Abstractions.Publishing;

namespace Webhooks.Grains.Publishing;

/// <summary>A stored event, when it was accepted, and its publish's outcome (null until the publish completed).</summary>
public sealed record AcceptedEventRecord(StoredEvent Event, DateTimeOffset AcceptedAt, int? Matched, IReadOnlyList<string> ListenerIds);
