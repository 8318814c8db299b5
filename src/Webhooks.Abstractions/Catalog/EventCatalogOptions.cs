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
            var keys = EventCatalogLoader.Keys(options.EventTypes.Count, configuration);
            var problems = new List<string>();
            for (var i = 0; i < options.EventTypes.Count; i++)
            {
                var code = options.EventTypes[i].Code;
                if (string.IsNullOrWhiteSpace(code) || code == EventCatalog.AllEvents)
                {
                    problems.Add($"{keys[i]}:Code must be set, to an event code other than '{EventCatalog.AllEvents}' (which means every event).");
                }

                if (configuration is not null && configuration.GetSection(keys[i] + ":" + nameof(EventType.Schema)).GetChildren().Any())
                {
                    // Configuration keeps every value as a string, so 1 and "1", or true and "true", could not be told apart again.
                    problems.Add($"{keys[i]}:Schema is a configuration section; configuration does not keep JSON's types, so give the schema as one JSON string or in {keys[i]}:SchemaFile.");
                }

                if (configuration is not null && configuration.GetSection(keys[i] + ":" + nameof(EventType.Example)).GetChildren().Any())
                {
                    problems.Add($"{keys[i]}:Example is a configuration section; configuration does not keep JSON's types, so give the example as one JSON string or in {keys[i]}:ExampleFile.");
                }
            }

            problems.AddRange(EventCatalogLoader.Load(options.EventTypes, EventCatalogLoader.ContentRoot(environment), keys).Problems);
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
