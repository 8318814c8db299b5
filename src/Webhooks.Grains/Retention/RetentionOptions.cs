using Webhooks.Grains.Hosting;

namespace Webhooks.Grains.Retention;

/// <summary>How long accepted events and finished deliveries are kept; configured as <c>Webhooks:Retention</c>.</summary>
/// <remarks>
/// A delivery's age counts from when it finished (a parked one's from when it was parked), an event's from when it was
/// accepted. Pending deliveries are never removed, nor the events they (or parked ones) still need. Parked and skipped
/// deliveries follow <see cref="FailedDeliveries"/>.
/// </remarks>
public sealed class RetentionOptions : ISelfValidatingOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Webhooks:Retention";

    /// <summary>
    /// How long an accepted event (its payload, the feed's entry) is kept. Also the idempotency window: an event id
    /// published again after this is a new event.
    /// </summary>
    /// <value>The default is 30 days.</value>
    public TimeSpan Events { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a succeeded delivery stays in its listener's log.</summary>
    /// <value>The default is 3 days.</value>
    public TimeSpan SucceededDeliveries { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How long a failed, skipped or parked delivery is kept: the time left to redeliver or <c>recover</c> it.</summary>
    /// <value>The default is 30 days.</value>
    public TimeSpan FailedDeliveries { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often each silo's sweeper looks for rows past their retention.</summary>
    /// <value>The default is 1 minute.</value>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Rows one sweeper transaction removes at most: small enough that no batch holds the store up at peak.</summary>
    /// <value>The default is 1000.</value>
    public int SweepBatch { get; set; } = 1000;

    /// <summary>Null when the options make sense, else why not.</summary>
    public string? Validate() =>
        Events <= TimeSpan.Zero || SucceededDeliveries <= TimeSpan.Zero || FailedDeliveries <= TimeSpan.Zero
            ? "Webhooks:Retention:Events, SucceededDeliveries and FailedDeliveries must be positive."
        : SweepInterval <= TimeSpan.Zero ? "Webhooks:Retention:SweepInterval must be positive."
        : SweepBatch is < 1 or > 100_000 ? "Webhooks:Retention:SweepBatch must be between 1 and 100000."
        : null;
}
