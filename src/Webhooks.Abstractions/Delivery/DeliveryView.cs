using System.Collections.Immutable;

namespace Webhooks.Abstractions.Delivery;

/// <summary>Where a delivery stands.</summary>
public enum DeliveryStatus
{
    /// <summary>Queued, in flight, or waiting for its next scheduled attempt.</summary>
    Pending,

    /// <summary>A 2xx was received.</summary>
    Succeeded,

    /// <summary>Every scheduled attempt failed (or the one attempt of a test event); kept for redelivery.</summary>
    Failed,

    /// <summary>Accepted while the listener was disabled: kept, not attempted, until it is enabled.</summary>
    Parked,

    /// <summary>Was parked; the listener was enabled without delivering its parked events. Never attempted.</summary>
    Skipped,
}

/// <summary>One event's delivery to one listener, with every attempt made.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.DeliveryView")]
public sealed record DeliveryView(
    [property: Id(0)] string EventId,
    [property: Id(1)] string EventCode,
    [property: Id(2)] DeliveryStatus Status,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? NextAttemptAt,
    [property: Id(5)] ImmutableArray<AttemptView> Attempts);

/// <summary>One HTTP attempt.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.AttemptView")]
public sealed record AttemptView(
    [property: Id(0)] int Attempt,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] int? StatusCode,
    [property: Id(3)] long DurationMs,
    [property: Id(4)] string? Error,
    [property: Id(5)] string? ResponseBody);

/// <summary>A page of deliveries, newest first, and how many match the filter.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.DeliveryPage")]
public sealed record DeliveryPage(
    [property: Id(0)] ImmutableArray<DeliveryView> Items,
    [property: Id(1)] int Total);
