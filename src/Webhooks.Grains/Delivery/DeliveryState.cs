using Webhooks.Listeners;

namespace Webhooks.Delivery;

/// <summary>
/// The listener's delivery health, persisted as grain state. Kept apart from <see cref="ListenerState"/> so that
/// health changes and definition changes never contend for one row; the deliveries themselves are rows of the
/// delivery log (<see cref="Log.IDeliveryLog"/>), one per delivery.
/// </summary>
[GenerateSerializer, Alias("webhooks.DeliveryState")]
public sealed class DeliveryState
{
    // Id 0 held the whole delivery list, which now lives in the delivery log.

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

    /// <summary>The delivery's place in the listener's log (its row key); increases with every event queued.</summary>
    [Id(11)] public long Seq { get; set; }
}
