using Webhooks.Grains.Listeners;

namespace Webhooks.Grains.Delivery;

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

    /// <summary>The listener's attempts over the last hour and day; written at most once a minute (see <c>ListenerGrain.Stats.cs</c>).</summary>
    [Id(4)] public Stats.AttemptStats Stats { get; set; } = new();
}
