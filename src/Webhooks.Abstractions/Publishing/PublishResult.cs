
namespace Webhooks.Abstractions.Publishing;

/// <summary>What accepting an event came to: its id and how many listeners queued it.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.PublishResult")]
public sealed record PublishResult(
    [property: Id(0)] string EventId,
    [property: Id(1)] int MatchedWebhooks);
