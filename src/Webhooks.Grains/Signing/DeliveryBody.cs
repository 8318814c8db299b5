using System.Buffers;
using System.Text.Json;
using Webhooks.Abstractions.Delivery;

namespace Webhooks.Grains.Signing;

/// <summary>The body a listener receives: <c>{eventId, eventDate, eventCode, resourceId, callAttempt, payload}</c>, payload as-is.</summary>
public static class DeliveryBody
{
    public static byte[] Serialize(EventEnvelope envelope, int callAttempt)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (envelope.Payload?.Length ?? 0));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("eventId", envelope.EventId);
            json.WriteString("eventDate", envelope.EventDate.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("eventCode", envelope.EventCode);
            json.WriteString("resourceId", envelope.ResourceId);
            json.WriteNumber("callAttempt", callAttempt);
            json.WritePropertyName("payload");
            if (envelope.Payload is null)
            {
                json.WriteNullValue();
            }
            else
            {
                json.WriteRawValue(envelope.Payload, skipInputValidation: false);
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
