namespace Webhooks.Abstractions.Catalog;

/// <summary>
/// An event a listener can subscribe to: its code, the resource type it concerns, and what it means; optionally a JSON
/// Schema its payload must satisfy and an example payload, each given inline or in a file (relative to the content root).
/// </summary>
/// <remarks>
/// In the <see cref="EventCatalog"/>, <see cref="Schema"/> and <see cref="Example"/> hold the JSON text, from the file
/// when one was named: readers of the catalog never look at the files.
/// </remarks>
public sealed class EventType
{
    public string Code { get; set; } = "";

    public string Type { get; set; } = "";

    public string Description { get; set; } = "";

    /// <summary>The JSON Schema of the payload, as JSON text; null when the payload is not checked.</summary>
    public string? Schema { get; set; }

    /// <summary>A file holding <see cref="Schema"/>, instead of giving it inline.</summary>
    public string? SchemaFile { get; set; }

    /// <summary>An example payload, as JSON text, shown to listener authors; it must satisfy <see cref="Schema"/>.</summary>
    public string? Example { get; set; }

    /// <summary>A file holding <see cref="Example"/>, instead of giving it inline.</summary>
    public string? ExampleFile { get; set; }
}
