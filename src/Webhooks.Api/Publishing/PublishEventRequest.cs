using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Webhooks.Api.Publishing;

/// <summary>The body of <c>POST api/v1/events</c>.</summary>
/// <param name="EventId">Optional; generated (<c>event_…</c>) when absent. Publishing an id again delivers nothing twice.</param>
/// <param name="EventCode">A code from the catalog.</param>
/// <param name="ResourceId">The id of the resource the event is about.</param>
/// <param name="Payload">Any JSON, delivered as-is.</param>
public sealed record PublishEventRequest(string? EventId, [property: Required] string? EventCode, [property: Required] string? ResourceId, JsonElement? Payload);
