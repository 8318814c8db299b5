using Microsoft.Extensions.Options;

namespace Webhooks.Catalog;

/// <summary>The event codes this deployment knows, with <c>*</c> standing for all of them.</summary>
public sealed class EventCatalog
{
    /// <summary>The subscription that matches every event.</summary>
    public const string AllEvents = "*";

    private readonly HashSet<string> _codes;

    public EventCatalog(IOptions<EventCatalogOptions> options)
    {
        var configured = options.Value.EventTypes;
        EventTypes = configured.Count > 0 ? [.. configured] : ZentitleEventTypes.All;
        _codes = new HashSet<string>(EventTypes.Select(e => e.Code), StringComparer.Ordinal);
    }

    public IReadOnlyList<EventType> EventTypes { get; }

    /// <summary>True for a catalog code or <c>*</c>.</summary>
    public bool IsSubscribable(string code) => code == AllEvents || _codes.Contains(code);
}
