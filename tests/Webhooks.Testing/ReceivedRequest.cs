using System.Text.Json;

namespace Webhooks.Testing;

/// <summary>One request as a <see cref="TestReceiver"/> received it.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, without the query.</param>
/// <param name="Query">The query's parameters.</param>
/// <param name="Headers">The headers, by case-insensitive name.</param>
/// <param name="Body">The exact body bytes.</param>
/// <param name="ReceivedAt">When its body had arrived.</param>
public sealed record ReceivedRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body,
    DateTimeOffset ReceivedAt)
{
    /// <summary>The body, parsed as JSON.</summary>
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    /// <summary>The <c>eventId</c> of the JSON body.</summary>
    public string EventId => Json.GetProperty("eventId").GetString()!;

    /// <summary>The <c>webhook-id</c> header, when there was one.</summary>
    public string? WebhookId => Headers.GetValueOrDefault("webhook-id");

    /// <summary>The <c>listener</c> query parameter, by which several listeners sharing one receiver tell themselves apart.</summary>
    public string? Listener => Query.GetValueOrDefault("listener");
}
