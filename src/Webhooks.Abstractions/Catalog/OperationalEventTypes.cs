
namespace Webhooks.Abstractions.Catalog;

/// <summary>
/// Events the dispatcher publishes about a tenant's own listeners, to the same tenant's listeners that subscribe to
/// them by name: never to the listener concerned, never through a <c>*</c> subscription, never by a client.
/// Their resource id is the listener's id; their payload says why (<c>reason</c>, <c>lastStatusCode</c>, <c>lastError</c>).
/// </summary>
public static class OperationalEventTypes
{
    /// <summary>A listener was disabled: by hand, after failing for too long, or because it answered 410 Gone.</summary>
    public const string Disabled = "webhook.disabled";

    /// <summary>A disabled listener was enabled again.</summary>
    public const string Enabled = "webhook.enabled";

    /// <summary>A delivery used up its retries and failed for good.</summary>
    public const string DeliveryExhausted = "webhook.delivery.exhausted";

    public static IReadOnlyList<EventType> All { get; } =
    [
        new() { Code = Disabled, Type = "webhook", Description = "A webhook listener was disabled (by hand, after failing for too long, or on 410 Gone)." },
        new() { Code = Enabled, Type = "webhook", Description = "A disabled webhook listener was enabled again." },
        new() { Code = DeliveryExhausted, Type = "webhook", Description = "A delivery to a webhook listener used up its retries and failed." },
    ];

    /// <summary>True for a code only the dispatcher publishes.</summary>
    public static bool IsOperational(string code) => code is Disabled or Enabled or DeliveryExhausted;
}
