using System.Diagnostics.CodeAnalysis;

namespace Webhooks.Abstractions.Publishing;

/// <summary>
/// What <see cref="IWebhookPublisher.PublishAsync"/> came to: the event accepted (<see cref="Result"/>), or refused
/// because it breaks the publishing rules (<see cref="Errors"/>, one per field), in which case nothing was stored.
/// </summary>
public sealed class PublishOutcome
{
    private PublishOutcome(PublishResult? result, IReadOnlyList<PublishError> errors)
    {
        Result = result;
        Errors = errors;
    }

    /// <summary>The accepted event's id and how many listeners queued it; null when the event was refused.</summary>
    public PublishResult? Result { get; }

    /// <summary>Why the event was refused, one entry per invalid field; empty when it was accepted.</summary>
    public IReadOnlyList<PublishError> Errors { get; }

    /// <summary>True when the event is on durable storage for every matching listener.</summary>
    [MemberNotNullWhen(true, nameof(Result))]
    public bool IsAccepted => Result is not null;

    public static PublishOutcome Accepted(PublishResult result) => new(result, []);

    public static PublishOutcome Invalid(IReadOnlyList<PublishError> errors) =>
        errors.Count > 0 ? new(null, errors) : throw new ArgumentException("A refused event has at least one error.", nameof(errors));
}

/// <summary>
/// One field of a <see cref="WebhookEvent"/> that breaks the publishing rules: <see cref="Field"/> is <c>eventId</c>,
/// <c>eventCode</c>, <c>resourceId</c> or <c>payload</c>, as the HTTP API names them in its <c>validationErrors</c>; for a
/// payload that breaks its event type's schema, <c>payload</c> followed by the JSON Pointer of each failing place
/// (<c>payload/seats</c>), one error per place.
/// </summary>
public sealed record PublishError(string Field, string Message);
