using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Webhooks.Abstractions.Catalog;
using Webhooks.Abstractions.Delivery;
using Webhooks.Abstractions.Publishing;
using Webhooks.Abstractions.Routing;
using Webhooks.Grains.Delivery;

namespace Webhooks.Grains.Listeners;

/// <summary>
/// Operational events (<see cref="OperationalEventTypes"/>): what happened to this listener, published to the tenant's
/// other listeners that subscribe to it by name. The event router keeps them from this listener and from <c>*</c>.
/// </summary>
/// <remarks>
/// A change is announced only once the state that records it is stored, so an event never tells of a change that
/// a crash then undid. The publish runs off the grain's turn (two listeners announcing to each other never wait on
/// one another) and is not retried: a silo that dies between the write and the publish loses that announcement.
/// The event id is derived from the change, so a publish that did reach storage is not repeated by anything else.
/// </remarks>
public sealed partial class ListenerGrain
{
    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly List<EventEnvelope> _announcements = [];

    /// <summary>Reasons an operational event gives, in its payload's <c>reason</c>.</summary>
    internal static class AnnouncedReasons
    {
        public const string DisabledByUser = "DisabledByUser";
        public const string EnabledByUser = "EnabledByUser";
        public const string Gone = "Gone";
        public const string FailingTooLong = "FailingTooLong";
        public const string RetriesExhausted = "RetriesExhausted";
    }

    /// <summary>Queues an operational event about this listener, published by <see cref="PublishAnnouncements"/> after the next write.</summary>
    private void Announce(string eventCode, string reason, int? lastStatusCode, string? lastError, DeliveryRecord? delivery = null)
    {
        var listenerId = this.GetPrimaryKeyString();
        var now = time.GetUtcNow();
        var payload = new AnnouncementPayload(
            listenerId, reason, deliveries.State.DisabledReason, lastStatusCode, lastError, delivery?.EventId, delivery?.EventCode);
        var eventId = delivery is null
            ? WebhookEventIds.ForChange($"{eventCode}.{listenerId}", now.ToUnixTimeMilliseconds())
            : WebhookEventIds.ForChange($"{eventCode}.{listenerId}.{delivery.EventId}", delivery.Attempts.Count);
        _announcements.Add(new EventEnvelope(
            State.TenantId!, eventId, eventCode, listenerId, now, JsonSerializer.Serialize(payload, PayloadJson)));
    }

    /// <summary>The listener's latest recorded attempt, for an announcement made by hand (enable, disable).</summary>
    private AttemptView? LastAttempt() =>
        Queue.Deliveries.Where(d => d.Attempts.Count > 0).Select(d => d.Attempts[^1]).MaxBy(a => a.At);

    private int? LastStatusCode() => LastAttempt()?.StatusCode;

    private string? LastError() => LastAttempt()?.Error;

    /// <summary>The reason a listener disabled by an attempt's outcome gives.</summary>
    private string DisabledByOutcomeReason() =>
        deliveries.State.DisabledReason == DeliveryQueue.Gone ? AnnouncedReasons.Gone : AnnouncedReasons.FailingTooLong;

    /// <summary>Publishes what was announced since the last write, which has just stored it; off the grain's turn.</summary>
    private void PublishAnnouncements()
    {
        if (_announcements.Count == 0 || _stopped)
        {
            _announcements.Clear();
            return;
        }

        var announced = _announcements.ToArray();
        _announcements.Clear();
        PublishAsync(announced).Ignore();
    }

    private async Task PublishAsync(EventEnvelope[] announced)
    {
        var listenerId = this.GetPrimaryKeyString();
        foreach (var envelope in announced)
        {
            try
            {
                // Nobody else asked for it: not stored at all, so a listener failing for days adds no event per delivery.
                var wanting = await GrainFactory.GetGrain<IEventRouterGrain>(envelope.TenantId).MatchAsync(envelope.EventCode);
                if (wanting.All(id => id == listenerId))
                {
                    continue;
                }

                await GrainFactory.GetGrain<IEventGrain>(envelope.TenantId).PublishAsync(envelope);
            }
            catch (Exception ex)
            {
                LogAnnouncementFailed(logger, ex, listenerId, envelope.EventCode);
            }
        }
    }

    /// <summary>An operational event's payload.</summary>
    private sealed record AnnouncementPayload(
        string WebhookId, string Reason, string? Detail, int? LastStatusCode, string? LastError, string? EventId, string? EventCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listener {ListenerId}: its {EventCode} event could not be published")]
    private static partial void LogAnnouncementFailed(ILogger logger, Exception exception, string listenerId, string eventCode);
}
