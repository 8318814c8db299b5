using System.Text.Json;
using System.Text.Json.Serialization;

namespace Webhooks.Api.Publishing;

/// <summary>Writes a <see cref="RawJson"/> as the JSON it holds, unparsed; reads any JSON value into one.</summary>
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
