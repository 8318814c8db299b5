using System.Text.Json.Serialization;
using Webhooks.Abstractions.Delivery;
using Webhooks.Grains.Publishing;

namespace Webhooks.Grains.Delivery;

/// <summary>One event's delivery to this listener.</summary>
/// <remarks>
/// An event published since events were stored once is stored once, in the events store: the delivery refers to it
/// (<see cref="EventSeq"/>) and its row carries neither <see cref="ResourceId"/>, <see cref="EventDate"/> nor
/// <see cref="Payload"/> (<see cref="Log.DeliveryRowJson"/>). They are in memory while the delivery may still be
/// attempted, read back with the row when the listener loads, and dropped once it is finished. The test event, and
/// every delivery stored before, carry them in the row instead.
/// </remarks>
[GenerateSerializer, Alias("webhooks.DeliveryRecord")]
public sealed class DeliveryRecord
{
    [Id(0)] public string EventId { get; set; } = "";
    [Id(1)] public string EventCode { get; set; } = "";
    [Id(2)] public string? ResourceId { get; set; }
    [Id(3)] public DateTimeOffset EventDate { get; set; }

    /// <summary>The event's payload as raw JSON, sent as-is.</summary>
    [Id(4)] public string? Payload { get; set; }

    /// <summary>The event's row in the events store (<c>WebhooksEvents.Seq</c>); null when the delivery carries the event itself.</summary>
    [Id(12), JsonIgnore] public long? EventSeq { get; set; }

    /// <summary>Whether <see cref="ResourceId"/>, <see cref="EventDate"/> and <see cref="Payload"/> are in memory; always so when the delivery carries them.</summary>
    [Id(13), JsonIgnore] public bool HasContent { get; set; } = true;

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

    /// <summary>
    /// When it last became succeeded, failed, skipped or parked; null while pending. Its retention runs from here. Stored
    /// in a column of its own (the retention sweeper reads it), not in the row's JSON.
    /// </summary>
    [Id(14), JsonIgnore] public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Since when the delivery has been what it is, for its retention: finished, or else parked (since it was accepted).</summary>
    public DateTimeOffset RetainedSince => FinishedAt ?? CreatedAt;

    /// <summary>Puts the stored event's resource id, date and payload in memory, for an attempt.</summary>
    public void Attach(EventContent content)
    {
        (ResourceId, EventDate, Payload) = (content.ResourceId, content.EventDate, content.Payload);
        HasContent = true;
    }

    /// <summary>Drops the payload of a finished delivery whose event is stored: a redelivery reads it back.</summary>
    public void ReleaseContent()
    {
        if (EventSeq is not null)
        {
            (ResourceId, Payload) = (null, null);
            HasContent = false;
        }
    }
}
