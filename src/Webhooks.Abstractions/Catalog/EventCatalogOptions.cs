
namespace Webhooks.Abstractions.Catalog;

/// <summary>The deployment's event catalog, configured as <c>Webhooks:EventTypes</c>.</summary>
public sealed class EventCatalogOptions
{
    /// <summary>The configuration section that holds <see cref="EventTypes"/>.</summary>
    public const string Section = "Webhooks";

    /// <summary>The events listeners may subscribe to.</summary>
    /// <value>The default is the Zentitle2 catalog (<see cref="ZentitleEventTypes"/>), used when none is configured.</value>
    public List<EventType> EventTypes { get; set; } = [];
}
