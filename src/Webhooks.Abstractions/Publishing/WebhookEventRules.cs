using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Webhooks.Abstractions.Catalog;
using Webhooks.Abstractions.Limits;

namespace Webhooks.Abstractions.Publishing;

/// <summary>
/// What an event must be to be accepted: a catalog code, a resource id, a short token as a caller-chosen id, and a
/// payload of JSON within the size cap that satisfies its event type's schema (when it has one and checking is on).
/// The one set of rules for both paths, the HTTP API and the in-process publisher.
/// </summary>
public sealed class WebhookEventRules(EventCatalog catalog, IOptions<WebhooksLimitsOptions> limits)
{
    public const int MaxIdLength = 128;
    public const int MaxResourceIdLength = 256;

    /// <summary>The longest event code a query may name: a bound on what is looked up, catalog codes are shorter.</summary>
    public const int MaxEventCodeLength = 256;

    /// <summary>
    /// The longest event id a lookup takes: a caller's ids are at most <see cref="MaxIdLength"/>, the ids the
    /// dispatcher makes (hashed idempotency keys, generated ids) longer, all of them well within this.
    /// </summary>
    public const int MaxLookupIdLength = 256;

    private const string Payload = "payload";
    private const string NotJson = "The payload is not valid JSON.";

    // Throws on a lone surrogate instead of sending U+FFFD: a payload that cannot be encoded is not the caller's JSON.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly JsonElement NullPayload = JsonDocument.Parse("null").RootElement.Clone();

    /// <summary>
    /// Every rule the event breaks, one error per field; empty when it may be published. A payload that breaks its
    /// event type's schema gets one error per place, named <c>payload</c> followed by the place's JSON Pointer
    /// (<c>payload/seats</c>; <c>payload</c> for the payload itself).
    /// </summary>
    public IReadOnlyList<PublishError> Validate(WebhookEvent webhookEvent)
    {
        var errors = ValidateFields(webhookEvent.EventId, webhookEvent.EventCode, webhookEvent.ResourceId);
        var schema = errors.ContainsKey("eventCode") ? null : catalog.PayloadSchema(webhookEvent.EventCode);
        AddPayloadErrors(errors, webhookEvent.Payload, schema);
        return [.. errors.Select(e => new PublishError(e.Key, e.Value))];
    }

    /// <summary>
    /// The rules for the event's fields other than its payload, field name to message. The HTTP API checks these
    /// before it reads the payload out of the request, so a request breaking them is refused as it always was.
    /// </summary>
    public Dictionary<string, string> ValidateFields(string? eventId, string? eventCode, string? resourceId)
    {
        var errors = new Dictionary<string, string>();
        if (eventId is not null && !IsEventId(eventId))
        {
            errors["eventId"] = $"An event id is 1 to {MaxIdLength} characters of letters, digits and . _ : -";
        }

        if (string.IsNullOrEmpty(eventCode) || eventCode == EventCatalog.AllEvents || !catalog.IsSubscribable(eventCode))
        {
            errors["eventCode"] = "The event code must be one of the catalog's (GET api/v1/account/webhooks/events).";
        }
        else if (OperationalEventTypes.IsOperational(eventCode))
        {
            errors["eventCode"] = $"'{eventCode}' is published by the dispatcher itself, about the tenant's listeners; it cannot be published.";
        }

        if (string.IsNullOrWhiteSpace(resourceId) || resourceId.Length > MaxResourceIdLength)
        {
            errors["resourceId"] = $"The resource id is required, at most {MaxResourceIdLength} characters.";
        }

        return errors;
    }

    /// <summary>True for an id a caller may give an event: 1 to <see cref="MaxIdLength"/> letters, digits and <c>. _ : -</c>.</summary>
    public static bool IsEventId(string eventId) =>
        eventId.Length is > 0 and <= MaxIdLength && eventId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-');

    private void AddPayloadErrors(Dictionary<string, string> errors, string? payload, EventSchema? schema)
    {
        if (payload is null)
        {
            // An event without a payload reaches the listener with "payload": null: the schema says whether that is allowed.
            if (schema is not null)
            {
                AddViolations(errors, schema.Evaluate(NullPayload));
            }

            return;
        }

        int byteCount;
        try
        {
            byteCount = StrictUtf8.GetByteCount(payload);
        }
        catch (EncoderFallbackException)
        {
            errors[Payload] = "The payload is not valid JSON: it holds characters that are not Unicode.";
            return;
        }

        var max = limits.Value.MaxPayloadBytes;
        if (byteCount > max)
        {
            errors[Payload] = $"The payload is {byteCount} bytes; at most {max} bytes of UTF-8 are accepted.";
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(byteCount, 1));
        try
        {
            var written = StrictUtf8.GetBytes(payload, buffer);
            if (schema is null)
            {
                if (!IsOneJsonValue(buffer.AsSpan(0, written)))
                {
                    errors[Payload] = NotJson;
                }

                return;
            }

            // The document both checks that the payload is one JSON value (with the reader's defaults) and is what the schema evaluates.
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(buffer.AsMemory(0, written));
            }
            catch (JsonException)
            {
                errors[Payload] = NotJson;
                return;
            }

            using (document)
            {
                AddViolations(errors, schema.Evaluate(document.RootElement));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void AddViolations(Dictionary<string, string> errors, IReadOnlyList<SchemaViolation> violations)
    {
        foreach (var violation in violations)
        {
            errors[Payload + violation.Pointer] = violation.Message;
        }
    }

    // The reader refuses empty input, a value cut short and a second value after the first, with the same defaults
    // (no comments, no trailing commas, depth 64) as the HTTP API's JSON reading.
    private static bool IsOneJsonValue(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        try
        {
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
