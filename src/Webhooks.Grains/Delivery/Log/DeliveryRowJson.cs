using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Webhooks.Grains.Delivery.Log;

/// <summary>
/// The JSON that delivery rows stored before <see cref="DeliveryRowFormat"/> carry (camelCase, nulls left out): read
/// back, never written. The serializer is generated at compile time.
/// </summary>
/// <remarks>
/// Such a row carries its event's resource id, date and payload unless it refers to a stored event; either way they
/// read back as they were written.
/// </remarks>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DeliveryRecord))]
internal sealed partial class DeliveryRowJson : JsonSerializerContext
{
    private static readonly JsonTypeInfo<DeliveryRecord> Rows = (JsonTypeInfo<DeliveryRecord>)new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DeliveryRowJson(),
    }.GetTypeInfo(typeof(DeliveryRecord));

    public static DeliveryRecord? Deserialize(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, Rows);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("A delivery record is not valid JSON.", e);
        }
    }
}
