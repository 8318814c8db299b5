using Microsoft.Extensions.Options;

namespace Webhooks.Abstractions.Catalog;

/// <summary>
/// The event codes this deployment knows: its platform's (configured, or Zentitle's by default), with <c>*</c>
/// standing for all of those, and the dispatcher's operational events (<see cref="OperationalEventTypes"/>), which a
/// listener subscribes to by name.
/// </summary>
public sealed class EventCatalog
{
    /// <summary>The subscription that matches every event.</summary>
    public const string AllEvents = "*";

    /// <summary>The code of the event a listener's Test button sends: no payload, the listener's id as resource id, never retried.</summary>
    public const string TestEventCode = "webhook.test";

    private readonly HashSet<string> _codes;

    public EventCatalog(IOptions<EventCatalogOptions> options)
    {
        var configured = options.Value.EventTypes;
        IReadOnlyList<EventType> platform = configured.Count > 0 ? [.. configured] : ZentitleEventTypes.All;
        EventTypes = [.. platform, .. OperationalEventTypes.All.Where(o => !platform.Any(p => p.Code == o.Code))];
        _codes = new HashSet<string>(EventTypes.Select(e => e.Code), StringComparer.Ordinal);
    }

    public IReadOnlyList<EventType> EventTypes { get; }

    /// <summary>True for a catalog code or <c>*</c>.</summary>
    public bool IsSubscribable(string code) => code == AllEvents || _codes.Contains(code);
}
