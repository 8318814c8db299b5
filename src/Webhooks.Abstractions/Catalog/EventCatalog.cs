using System.Collections.Frozen;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Webhooks.Abstractions.Catalog;

/// <summary>
/// The event codes this deployment knows: its platform's (configured, or Zentitle's by default), with <c>*</c>
/// standing for all of those, and the dispatcher's operational events (<see cref="OperationalEventTypes"/>), which a
/// listener subscribes to by name. Configured entries may carry a payload schema and an example.
/// </summary>
public sealed class EventCatalog
{
    /// <summary>The subscription that matches every event.</summary>
    public const string AllEvents = "*";

    /// <summary>The code of the event a listener's Test button sends: no payload, the listener's id as resource id, never retried.</summary>
    public const string TestEventCode = "webhook.test";

    private readonly HashSet<string> _codes;
    private readonly FrozenDictionary<string, EventSchema> _schemas;

    /// <param name="options">The configured catalog.</param>
    /// <param name="environment">Where relative schema and example files are; the current directory without a host.</param>
    /// <exception cref="OptionsValidationException">A schema or example cannot be read or used (the start-up check reports the same).</exception>
    public EventCatalog(IOptions<EventCatalogOptions> options, IHostEnvironment? environment = null)
    {
        var value = options.Value;
        var loaded = EventCatalogLoader.Load(value.EventTypes, EventCatalogLoader.ContentRoot(environment), EventCatalogLoader.Keys(value.EventTypes.Count, null));
        if (loaded.Problems.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(EventCatalogOptions), loaded.Problems);
        }

        IReadOnlyList<EventType> platform = loaded.EventTypes.Count > 0 ? loaded.EventTypes : ZentitleEventTypes.All;
        EventTypes = [.. platform, .. OperationalEventTypes.All.Where(o => !platform.Any(p => p.Code == o.Code))];
        _codes = new HashSet<string>(EventTypes.Select(e => e.Code), StringComparer.Ordinal);
        _schemas = value.ValidatePayloads ? loaded.Schemas.ToFrozenDictionary(StringComparer.Ordinal) : FrozenDictionary<string, EventSchema>.Empty;
    }

    /// <summary>Every entry, with <see cref="EventType.Schema"/> and <see cref="EventType.Example"/> as JSON text (null when none).</summary>
    public IReadOnlyList<EventType> EventTypes { get; }

    /// <summary>True for a catalog code or <c>*</c>.</summary>
    public bool IsSubscribable(string code) => code == AllEvents || _codes.Contains(code);

    /// <summary>
    /// The schema a payload of <paramref name="code"/> must satisfy; null when the code has none, or when
    /// <see cref="EventCatalogOptions.ValidatePayloads"/> is off. Without schemas this costs one comparison.
    /// </summary>
    public EventSchema? PayloadSchema(string code) => _schemas.Count == 0 ? null : _schemas.GetValueOrDefault(code);
}
