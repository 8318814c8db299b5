using System.Text.Json;
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

internal sealed class RawJsonConverter : JsonConverter<RawJson>
{
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return new RawJson(document.RootElement.GetRawText());
    }

    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Text, skipInputValidation: true);
}
