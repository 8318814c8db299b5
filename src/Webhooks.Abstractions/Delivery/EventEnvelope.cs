
namespace Webhooks.Abstractions.Delivery;

/// <summary>
/// A published event as every matching listener queues it. <see cref="Payload"/> is raw JSON, sent as-is.
/// <see cref="Seq"/> is the event's row in the events store, once stored there: a delivery refers to it instead of
/// keeping its own copy of the payload. Null for the test event, which has no such row.
/// </summary>
[GenerateSerializer, Immutable, Alias("webhooks.EventEnvelope")]
public sealed record EventEnvelope(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string EventId,
    [property: Id(2)] string EventCode,
    [property: Id(3)] string? ResourceId,
    [property: Id(4)] DateTimeOffset EventDate,
    [property: Id(5)] string? Payload,
    [property: Id(6)] long? Seq = null);
