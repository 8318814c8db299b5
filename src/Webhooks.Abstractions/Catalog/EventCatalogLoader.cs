using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Webhooks.Abstractions.Catalog;

/// <summary>
/// Reads the configured catalog's schemas and examples, inline or from their files, and checks them: a schema must
/// build, an example must be JSON and satisfy its schema. Both the start-up check and the catalog use it, so what
/// passed the one is what the other serves.
/// </summary>
internal static class EventCatalogLoader
{
    private const string EventTypesSection = EventCatalogOptions.Section + ":" + nameof(EventCatalogOptions.EventTypes);

    /// <summary>Where relative schema and example files are looked for: the host's content root, or the current directory without a host.</summary>
    public static string ContentRoot(IHostEnvironment? environment) =>
        environment?.ContentRootPath is { Length: > 0 } root ? root : Directory.GetCurrentDirectory();

    /// <summary>
    /// The configuration key of each entry, for messages: the binder fills the list in the order of the section's
    /// children, whose keys need not be 0, 1, 2…; without the configuration (or when the list was not bound from it), by index.
    /// </summary>
    public static string[] Keys(int count, IConfiguration? configuration)
    {
        var children = configuration?.GetSection(EventTypesSection).GetChildren().Select(c => c.Path).ToArray();
        return children is not null && children.Length == count
            ? children
            : [.. Enumerable.Range(0, count).Select(i => $"{EventTypesSection}:{i}")];
    }

    public static LoadedCatalog Load(IReadOnlyList<EventType> configured, string contentRoot, IReadOnlyList<string> keys)
    {
        var eventTypes = new List<EventType>(configured.Count);
        var schemas = new Dictionary<string, EventSchema>(StringComparer.Ordinal);
        var problems = new List<string>();
        for (var i = 0; i < configured.Count; i++)
        {
            var entry = configured[i];
            var schemaSetting = new Setting(keys[i], nameof(EventType.Schema), entry.Schema, entry.SchemaFile);
            var exampleSetting = new Setting(keys[i], nameof(EventType.Example), entry.Example, entry.ExampleFile);
            var schemaText = schemaSetting.Read(contentRoot, problems);
            var exampleText = exampleSetting.Read(contentRoot, problems);

            EventSchema? schema = null;
            if (schemaText is not null)
            {
                try
                {
                    schema = EventSchema.Parse(schemaText);
                    schemas[entry.Code] = schema;
                }
                catch (FormatException ex)
                {
                    problems.Add($"{schemaSetting.Name} is {ex.Message}.");
                }
            }

            if (exampleText is not null)
            {
                exampleText = CheckExample(exampleText, schema, exampleSetting, problems);
            }

            eventTypes.Add(new EventType
            {
                Code = entry.Code,
                Type = entry.Type,
                Description = entry.Description,
                Schema = schema is null ? null : Compact(schemaText!),
                Example = exampleText,
            });
        }

        return new LoadedCatalog(eventTypes, schemas, problems);
    }

    // The example's compact text when it is JSON and satisfies the schema; otherwise null, with the problem.
    private static string? CheckExample(string text, EventSchema? schema, Setting setting, List<string> problems)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            problems.Add($"{setting.Name} is not valid JSON ({ex.Message.TrimEnd('.')}).");
            return null;
        }

        using (document)
        {
            if (schema?.Evaluate(document.RootElement) is { Count: > 0 } violations)
            {
                var first = violations[0];
                var place = first.Pointer.Length == 0 ? "the example itself" : $"'{first.Pointer}'";
                var more = violations.Count > 1 ? $" (and {violations.Count - 1} more places)" : "";
                problems.Add($"{setting.Name} does not satisfy its event type's schema: at {place}, {first.Message}{more}.");
                return null;
            }

            return JsonSerializer.Serialize(document.RootElement);
        }
    }

    // One line of JSON for the catalog's readers, whatever the file's layout.
    private static string Compact(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement);
    }

    /// <summary>A schema or an example: given inline (<c>…:Schema</c>) or as a file (<c>…:SchemaFile</c>), never both.</summary>
    private sealed record Setting(string EntryKey, string Property, string? Inline, string? File)
    {
        /// <summary>The setting as a message names it: the key that was set, and the file it names.</summary>
        public string Name => string.IsNullOrWhiteSpace(File) ? $"{EntryKey}:{Property}" : $"{EntryKey}:{Property}File ('{File}')";

        public string? Read(string contentRoot, List<string> problems)
        {
            var hasInline = !string.IsNullOrWhiteSpace(Inline);
            if (string.IsNullOrWhiteSpace(File))
            {
                return hasInline ? Inline : null;
            }

            if (hasInline)
            {
                problems.Add($"{EntryKey}:{Property} and {EntryKey}:{Property}File are both set; set one of them.");
                return null;
            }

            var path = Path.Combine(contentRoot, File);
            try
            {
                return System.IO.File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                problems.Add($"{Name} cannot be read from '{path}' ({ex.Message.TrimEnd('.')}).");
                return null;
            }
        }
    }
}
