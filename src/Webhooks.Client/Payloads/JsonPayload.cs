using System.Text.Json;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Serialization.Json;

namespace Webhooks.Client.Payloads;

/// <summary>
/// An event's <c>payload</c> is any JSON value, which the generated models hold as an <see cref="UntypedNode"/>: this
/// turns a .NET value into one for publishing, and one back into JSON to read or deserialize.
/// </summary>
public static class JsonPayload
{
    /// <summary>The payload for <paramref name="value"/>, serialized as <see cref="JsonSerializer"/> would.</summary>
    public static UntypedNode From<T>(T value, JsonSerializerOptions? options = null) =>
        FromElement(JsonSerializer.SerializeToElement(value, options ?? JsonSerializerOptions.Web));

    /// <summary>The payload for an already parsed JSON value.</summary>
    public static UntypedNode FromElement(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new UntypedObject(element.EnumerateObject().ToDictionary(p => p.Name, p => FromElement(p.Value))),
        JsonValueKind.Array => new UntypedArray([.. element.EnumerateArray().Select(FromElement)]),
        JsonValueKind.String => new UntypedString(element.GetString()),
        JsonValueKind.True => new UntypedBoolean(true),
        JsonValueKind.False => new UntypedBoolean(false),
        JsonValueKind.Number when element.TryGetInt64(out var whole) => new UntypedLong(whole),
        JsonValueKind.Number when element.TryGetDecimal(out var exact) => new UntypedDecimal(exact),
        JsonValueKind.Number => new UntypedDouble(element.GetDouble()),
        _ => new UntypedNull(),
    };

    /// <summary>The payload as a JSON element, to read it or deserialize it into a type of the caller's.</summary>
    public static JsonElement ToElement(UntypedNode? node)
    {
        if (node is null)
        {
            return JsonSerializer.SerializeToElement<object?>(null);
        }

        using var writer = new JsonSerializationWriter();
        writer.WriteObjectValue(null, node);
        using var content = writer.GetSerializedContent();
        using var document = JsonDocument.Parse(content);
        return document.RootElement.Clone();
    }
}
