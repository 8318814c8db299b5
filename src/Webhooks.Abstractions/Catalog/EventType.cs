
namespace Webhooks.Abstractions.Catalog;

/// <summary>An event a listener can subscribe to: its code, the resource type it concerns, and what it means.</summary>
public sealed class EventType
{
    public string Code { get; set; } = "";

    public string Type { get; set; } = "";

    public string Description { get; set; } = "";
}
