using System.Buffers;
using System.Text.Json;
using Webhooks.Grains.Delivery;

namespace Webhooks.Grains.Signing;

/// <summary>The body a listener receives: <c>{eventId, eventDate, eventCode, resourceId, callAttempt, payload}</c>, payload as-is.</summary>
public static class DeliveryBody
{
    // Room for every field but the payload, so a body is written without growing its buffer.
    private const int FieldsCapacity = 256;

    /// <summary>The body of attempt <paramref name="callAttempt"/> of a delivery, from its stored event.</summary>
    public static byte[] Serialize(DeliveryRecord delivery, int callAttempt)
    {
        var buffer = new ArrayBufferWriter<byte>(FieldsCapacity + (delivery.Payload?.Length ?? 0));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("eventId", delivery.EventId);
            json.WriteString("eventDate", delivery.EventDate.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("eventCode", delivery.EventCode);
            json.WriteString("resourceId", delivery.ResourceId);
            json.WriteNumber("callAttempt", callAttempt);
            json.WritePropertyName("payload");
            if (delivery.Payload is null)
            {
                json.WriteNullValue();
            }
            else
            {
                json.WriteRawValue(delivery.Payload, skipInputValidation: false);
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
