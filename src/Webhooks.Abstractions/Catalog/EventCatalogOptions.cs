using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Webhooks.Abstractions.Catalog;

/// <summary>The deployment's event catalog, configured as <c>Webhooks:EventTypes</c>, and whether payloads are checked against its schemas.</summary>
public sealed class EventCatalogOptions
{
    /// <summary>The configuration section that holds <see cref="EventTypes"/>.</summary>
    public const string Section = "Webhooks";

    /// <summary>The events listeners may subscribe to.</summary>
    /// <value>The default is the Zentitle2 catalog (<see cref="ZentitleEventTypes"/>), used when none is configured.</value>
    public List<EventType> EventTypes { get; set; } = [];

    /// <summary>
    /// Whether both publishing paths refuse a payload that does not satisfy its event type's schema. Off, schemas are
    /// still read, checked at start and listed, but not applied; a payload must still be JSON within the size cap.
    /// </summary>
    /// <value>The default is true. Event types without a schema are never checked.</value>
    public bool ValidatePayloads { get; set; } = true;

    /// <summary>
    /// Checks the catalog as the host starts: every entry has a code other than <c>*</c>, and every schema and example
    /// can be read, parsed and used, with one message per entry naming the setting to fix.
    /// </summary>
    internal sealed class Validator(IConfiguration? configuration = null, IHostEnvironment? environment = null) : IValidateOptions<EventCatalogOptions>
    {
        public ValidateOptionsResult Validate(string? name, EventCatalogOptions options)
        {
            var problems = SectionsGivenForJson();
            var keys = EventCatalogLoader.Keys(options.EventTypes.Count, configuration);
            for (var i = 0; i < options.EventTypes.Count; i++)
            {
                var code = options.EventTypes[i].Code;
                if (string.IsNullOrWhiteSpace(code) || code == EventCatalog.AllEvents)
                {
                    problems.Add($"{keys[i]}:Code must be set, to an event code other than '{EventCatalog.AllEvents}' (which means every event).");
                }
            }

            problems.AddRange(EventCatalogLoader.Load(options.EventTypes, EventCatalogLoader.ContentRoot(environment), keys).Problems);
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }

        // A schema or example written as a configuration section (nested JSON in appsettings.json) cannot be read back
        // as JSON: configuration keeps every value as a string, so 1 and "1", or true and "true", are the same. The
        // binder leaves such an entry out of the list altogether, so the sections are looked for in the configuration.
        private List<string> SectionsGivenForJson()
        {
            var problems = new List<string>();
            foreach (var entry in configuration?.GetSection(Section + ":" + nameof(EventTypes)).GetChildren() ?? [])
            {
                foreach (var (property, file) in new[] { (nameof(EventType.Schema), nameof(EventType.SchemaFile)), (nameof(EventType.Example), nameof(EventType.ExampleFile)) })
                {
                    if (entry.GetSection(property).GetChildren().Any())
                    {
                        problems.Add($"{entry.Path}:{property} is a configuration section; configuration does not keep JSON's types, so give it as one JSON string or in {entry.Path}:{file}.");
                    }
                }
            }

            return problems;
        }
    }
}
