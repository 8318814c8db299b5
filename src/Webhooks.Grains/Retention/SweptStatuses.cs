using Webhooks.Abstractions.Delivery;

namespace Webhooks.Grains.Retention;

/// <summary>The delivery statuses the retention statements name, as SQL lists; the same on SQLite and PostgreSQL.</summary>
internal static class SweptStatuses
{
    /// <summary>Finished deliveries that follow the failed-delivery retention.</summary>
    public static readonly string Unsuccessful = $"{(int)DeliveryStatus.Failed}, {(int)DeliveryStatus.Skipped}, {(int)DeliveryStatus.Parked}";

    /// <summary>Deliveries that still need their event's payload: the event stays while one refers to it.</summary>
    public static readonly string Waiting = $"{(int)DeliveryStatus.Pending}, {(int)DeliveryStatus.Parked}";
}
