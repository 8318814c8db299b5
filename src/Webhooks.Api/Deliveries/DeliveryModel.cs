using System.Collections.Immutable;
using Webhooks.Abstractions.Delivery;

namespace Webhooks.Api.Deliveries;

/// <summary>One event's delivery to a listener, with every attempt.</summary>
public sealed record DeliveryModel(
    string EventId,
    string EventCode,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    ImmutableArray<AttemptModel> Attempts)
{
    public static DeliveryModel From(DeliveryView view) => new(
        view.EventId, view.EventCode, view.Status.ToString().ToLowerInvariant(), view.CreatedAt, view.NextAttemptAt,
        [.. view.Attempts.Select(a => new AttemptModel(a.Attempt, a.At, a.StatusCode, a.DurationMs, a.Error, a.ResponseBody))]);
}
