namespace Webhooks.Grains.Tests.Delivery.Http;

/// <summary>One request as the listener received it.</summary>
internal sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset ReceivedAt);
