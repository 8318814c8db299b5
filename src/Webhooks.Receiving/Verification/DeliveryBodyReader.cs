using System.Globalization;
using System.Text.Json;

namespace Webhooks.Receiving.Verification;

/// <summary>Reads a verified body, <c>{eventId, eventDate, eventCode, resourceId, callAttempt, payload}</c>, into a <see cref="WebhookEvent"/>.</summary>
internal static class DeliveryBodyReader
{
    private static readonly JsonElement NoPayload = JsonSerializer.SerializeToElement<object?>(null);

    /// <summary>The event, or null with the reason in <paramref name="error"/> when the body is not a delivery.</summary>
    public static WebhookEvent? Read(byte[] body, DateTimeOffset timestamp, string? signingKeyId, out string error)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "The body is not a JSON object.";
                return null;
            }

            error = "";
            var eventId = Text(root, "eventId", ref error);
            var eventDate = Text(root, "eventDate", ref error);
            var eventCode = Text(root, "eventCode", ref error);
            var resourceId = Text(root, "resourceId", ref error);
            var callAttempt = root.TryGetProperty("callAttempt", out var attempt) && attempt.ValueKind == JsonValueKind.Number
                && attempt.TryGetInt32(out var number) && number >= 1 ? number : 0;
            if (callAttempt == 0 && error.Length == 0)
            {
                error = "\"callAttempt\" is not a whole number from 1.";
            }

            var date = DateTimeOffset.MinValue;
            if (error.Length == 0 && !DateTimeOffset.TryParse(eventDate, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out date))
            {
                error = "\"eventDate\" is not an ISO 8601 date.";
            }

            if (error.Length > 0)
            {
                return null;
            }

            var payload = root.TryGetProperty("payload", out var value) ? value.Clone() : NoPayload;
            return new WebhookEvent(eventId!, date, eventCode!, resourceId!, callAttempt, payload, timestamp, signingKeyId);
        }
        catch (JsonException)
        {
            error = "The body is not JSON.";
            return null;
        }
    }

    private static string? Text(JsonElement root, string name, ref string error)
    {
        if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
        {
            return text;
        }

        if (error.Length == 0)
        {
            error = $"\"{name}\" is missing or not a non-empty string.";
        }

        return null;
    }
}
