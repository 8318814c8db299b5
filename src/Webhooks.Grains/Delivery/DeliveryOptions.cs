using Webhooks.Grains.Hosting;

namespace Webhooks.Grains.Delivery;

/// <summary>How deliveries are made and retried; configured as <c>Webhooks:Delivery</c>.</summary>
public sealed class DeliveryOptions : ISelfValidatingOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Webhooks:Delivery";

    /// <summary>The schedule used when none is configured: waits after the first, second, … failed attempt.</summary>
    public static IReadOnlyList<TimeSpan> DefaultRetrySchedule { get; } =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <summary>How long one attempt may take, from connecting to reading the (bounded) response.</summary>
    /// <value>The default is 15 seconds.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The waits between attempts, after the first one; when spent, the delivery is failed.</summary>
    /// <value>The default is <see cref="DefaultRetrySchedule"/> (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h).</value>
    public List<TimeSpan> RetrySchedule { get; set; } = [];

    /// <summary>Each wait is varied by up to this fraction either way, so retries of many listeners spread out.</summary>
    /// <value>The default is 0.2.</value>
    public double JitterRatio { get; set; } = 0.2;

    /// <summary>
    /// Attempts to one listener in flight at once when it starts (each activation): the limit then adapts to the
    /// listener (<see cref="ConcurrencyLimit"/>), up to <see cref="MaxConcurrencyPerListener"/>. Above that maximum,
    /// the maximum is where it starts (a deployment that lowered the maximum keeps working unchanged).
    /// </summary>
    /// <value>The default is 4.</value>
    public int InitialConcurrency { get; set; } = 4;

    /// <summary>The most attempts to one listener in flight at once, however well it answers.</summary>
    /// <value>The default is 32.</value>
    public int MaxConcurrencyPerListener { get; set; } = 32;

    /// <summary>A listener whose every attempt has failed for this long is disabled until it is enabled again.</summary>
    /// <value>The default is 5 days.</value>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(5);

    /// <summary>Allow listeners on loopback, private and link-local addresses (true in Development).</summary>
    /// <value>The default is false.</value>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>How much of a response body is read and kept in the log.</summary>
    /// <value>The default is 2048 bytes.</value>
    public int MaxResponseBodyBytes { get; set; } = 2048;

    /// <summary>Failed attempts to one listener (all of at least this many within a minute) that open its circuit; 0 turns the breaker off.</summary>
    /// <value>The default is 5.</value>
    public int CircuitBreakerFailures { get; set; } = 5;

    /// <summary>How long an open circuit fails attempts at once before letting one through.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan CircuitBreakerDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The <c>User-Agent</c> of every delivery.</summary>
    /// <value>The default is <c>Webhooks.Orleans/1.0</c>.</value>
    public string UserAgent { get; set; } = "Webhooks.Orleans/1.0";

    /// <summary>How long the previous signing secret keeps signing after a rotation.</summary>
    /// <value>The default is 24 hours.</value>
    public TimeSpan SecretRotationOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Succeeded deliveries kept in each listener's log at most, whatever their age (<c>Webhooks:Retention</c>). Older
    /// ones leave the log at once and storage <see cref="DeliveryQueue.RemovalBatch"/> at a time.
    /// </summary>
    /// <value>The default is 1000.</value>
    public int LogRetention { get; set; } = 1000;

    /// <summary>
    /// Failed and skipped deliveries kept in each listener's log at most, whatever their age: a safety limit on a
    /// listener that fails everything for weeks, counted apart from the successes so these never push a failure out.
    /// </summary>
    /// <value>The default is 10000.</value>
    public int FailedLogRetention { get; set; } = 10_000;

    /// <summary>How often an active listener with pending deliveries checks for due attempts.</summary>
    /// <value>The default is 1 second.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The period of the reminder a listener keeps while it has pending deliveries. After a restart or a silo's death
    /// such listeners are woken at once (<see cref="PendingWakeUp"/>); the reminder is the backstop.
    /// </summary>
    /// <value>The default is 1 minute (the shortest reminder period Orleans allows by default).</value>
    public TimeSpan WakeInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The retry schedule in effect: the configured one, or the default.</summary>
    public IReadOnlyList<TimeSpan> GetRetrySchedule() => RetrySchedule.Count > 0 ? RetrySchedule : DefaultRetrySchedule;

    /// <summary>Null when the options make sense, else why not.</summary>
    public string? Validate() =>
        Timeout < TimeSpan.FromMilliseconds(10) || Timeout > TimeSpan.FromDays(1) ? "Webhooks:Delivery:Timeout must be between 10 ms and 1 day."
        : CircuitBreakerDuration < TimeSpan.FromMilliseconds(500) || CircuitBreakerDuration > TimeSpan.FromDays(1)
            ? "Webhooks:Delivery:CircuitBreakerDuration must be between 0.5 s and 1 day."
        : RetrySchedule.Any(t => t < TimeSpan.Zero) ? "Webhooks:Delivery:RetrySchedule entries may not be negative."
        : JitterRatio is < 0 or >= 1 ? "Webhooks:Delivery:JitterRatio must be in [0, 1)."
        : MaxConcurrencyPerListener < 1 ? "Webhooks:Delivery:MaxConcurrencyPerListener must be at least 1."
        : InitialConcurrency < 1 ? "Webhooks:Delivery:InitialConcurrency must be at least 1."
        : DisableAfter <= TimeSpan.Zero ? "Webhooks:Delivery:DisableAfter must be positive."
        : MaxResponseBodyBytes < 0 ? "Webhooks:Delivery:MaxResponseBodyBytes may not be negative."
        : CircuitBreakerFailures is < 0 or 1 ? "Webhooks:Delivery:CircuitBreakerFailures is 0 (no circuit breaker) or at least 2."
        : LogRetention < 1 || FailedLogRetention < 1 ? "Webhooks:Delivery:LogRetention and FailedLogRetention must be at least 1."
        : PollInterval <= TimeSpan.Zero || WakeInterval <= TimeSpan.Zero ? "Webhooks:Delivery:PollInterval and WakeInterval must be positive."
        : null;
}
