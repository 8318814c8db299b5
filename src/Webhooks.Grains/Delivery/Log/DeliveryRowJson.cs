using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Webhooks.Grains.Delivery.Log;

/// <summary>
/// The JSON of a delivery row: camelCase, nulls left out, as grain state is stored; the serializer is generated
/// at compile time, since every enqueue and every outcome writes a row. Rows are read by this code and by
/// operators, never embedded in a page, so characters are escaped only where JSON requires it: HTML-safe
/// escaping would turn each quote of a payload into six bytes and make every row larger.
/// </summary>
/// <remarks>
/// A delivery whose event is stored once (<see cref="DeliveryRecord.EventSeq"/>) leaves the event's resource id, date
/// and payload out of its row: they are in the events store, once for every listener. Rows that carry them (the test
/// event, rows written before events were stored once) read back as before.
/// </remarks>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DeliveryRecord))]
internal sealed partial class DeliveryRowJson : JsonSerializerContext
{
    private static readonly JsonTypeInfo<DeliveryRecord> Rows = (JsonTypeInfo<DeliveryRecord>)new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = new DeliveryRowJson().WithAddedModifier(EventInlineOnly),
    }.GetTypeInfo(typeof(DeliveryRecord));

    public static byte[] Serialize(DeliveryRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, Rows);

    public static DeliveryRecord? Deserialize(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize(json, Rows);

    private static void EventInlineOnly(JsonTypeInfo type)
    {
        if (type.Type != typeof(DeliveryRecord))
        {
            return;
        }

        foreach (var property in type.Properties)
        {
            if (property.Name is "resourceId" or "eventDate" or "payload")
            {
                property.ShouldSerialize = static (record, value) => ((DeliveryRecord)record).EventSeq is null && value is not null;
            }
        }
    }
}
