namespace Webhooks.Api.Publishing;

/// <summary>What publishing came to.</summary>
public sealed record PublishEventResponse(string EventId, int MatchedWebhooks);
