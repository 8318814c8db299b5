using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Webhooks.Delivery.Log;

/// <summary>
/// The JSON of a delivery row: camelCase, nulls left out, as grain state is stored; the serializer is generated
/// at compile time, since every enqueue and every outcome writes a row. Rows are read by this code and by
/// operators, never embedded in a page, so characters are escaped only where JSON requires it: HTML-safe
/// escaping turned each quote of a payload into six bytes and made rows half as large again.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DeliveryRecord))]
internal sealed partial class DeliveryRowJson : JsonSerializerContext
{
    private static readonly DeliveryRowJson Rows = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static byte[] Serialize(DeliveryRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, Rows.DeliveryRecord);

    public static DeliveryRecord? Deserialize(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize(json, Rows.DeliveryRecord);
}
