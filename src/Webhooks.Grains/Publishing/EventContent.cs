namespace Webhooks.Grains.Publishing;

/// <summary>What a delivery needs of its event besides the id and code, read from the store when it is not in memory.</summary>
public sealed record EventContent(string? ResourceId, DateTimeOffset EventDate, string? Payload);
