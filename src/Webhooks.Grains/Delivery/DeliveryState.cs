using Webhooks.Listeners;

namespace Webhooks.Delivery;

/// <summary>
/// The persisted delivery state of one listener: every delivery not yet trimmed from the log (pending ones are
/// never trimmed) and the listener's health. Kept apart from <see cref="ListenerState"/> so that delivery writes
/// and definition changes never contend for one row.
/// </summary>
[GenerateSerializer, Alias("webhooks.DeliveryState")]
public sealed class DeliveryState
{
    [Id(0)] public List<DeliveryRecord> Deliveries { get; set; } = [];

    /// <summary>Since when every attempt has failed; null after any success.</summary>
    [Id(1)] public DateTimeOffset? FailingSince { get; set; }

    [Id(2)] public bool Disabled { get; set; }

    [Id(3)] public string? DisabledReason { get; set; }
}

/// <summary>One event's delivery to this listener.</summary>
[GenerateSerializer, Alias("webhooks.DeliveryRecord")]
public sealed class DeliveryRecord
{
    [Id(0)] public string EventId { get; set; } = "";
    [Id(1)] public string EventCode { get; set; } = "";
    [Id(2)] public string? ResourceId { get; set; }
    [Id(3)] public DateTimeOffset EventDate { get; set; }

    /// <summary>The event's payload as raw JSON, sent as-is.</summary>
    [Id(4)] public string? Payload { get; set; }

    /// <summary>The test event: one attempt, never retried, not counted against the listener's health.</summary>
    [Id(5)] public bool IsTest { get; set; }

    [Id(6)] public DeliveryStatus Status { get; set; }
    [Id(7)] public DateTimeOffset CreatedAt { get; set; }
    [Id(8)] public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>Failed attempts in the current series (a redelivery starts a new series and a new schedule).</summary>
    [Id(9)] public int SeriesFailures { get; set; }

    [Id(10)] public List<AttemptView> Attempts { get; set; } = [];
}
