using Webhooks.Abstractions.Delivery;

namespace Webhooks.Grains.Publishing;

/// <summary>
/// What is stored under an event id: the event (its <see cref="EventEnvelope.Seq"/> null when it was accepted before
/// events were stored once, and only its outcome is known) and the count its publish was answered with, null until
/// the publish completes.
/// </summary>
public sealed record AcceptedEvent(EventEnvelope Event, int? Matched);
