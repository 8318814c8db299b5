using System.Text.Json.Serialization;

namespace Webhooks.Api.Publishing;

/// <summary>
/// A JSON value written out exactly as stored: an event's payload, which was checked to be JSON when it was accepted.
/// Not parsed again on the way out, which would cost time and, for a payload nested near the reader's depth limit,
/// fail once it sits inside the response's own objects.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
public sealed record RawJson(string Text)
{
    public static RawJson? From(string? text) => text is null ? null : new RawJson(text);
}
