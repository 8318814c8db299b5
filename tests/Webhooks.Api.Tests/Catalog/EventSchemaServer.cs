using Webhooks.Api.Tests.Delivery;

namespace Webhooks.Api.Tests.Catalog;

/// <summary>
/// A server whose catalog gives schemas and examples: <see cref="InlineCode"/> inline in configuration,
/// <see cref="FileCode"/> from files, and <see cref="PlainCode"/> none; listeners on loopback are reached.
/// </summary>
public class EventSchemaServer : DeliveryServer
{
    public const string InlineCode = "license.created";
    public const string FileCode = "machine.heartbeat.dead";
    public const string PlainCode = "license.deleted";

    public const string InlineSchema = """
        {"type":"object","required":["licenseId","seats"],
         "properties":{"licenseId":{"type":"string"},"seats":{"type":"integer","minimum":1},"tags":{"type":"array","items":{"type":"string"}}}}
        """;

    public const string InlineExample = """{"licenseId":"lic_1","seats":3}""";

    // Laid out over several lines, as a file usually is: the catalog serves it compact.
    public const string FileSchema = """
        {
          "type": "object",
          "required": ["machineId"],
          "properties": { "machineId": { "type": "string", "pattern": "^mach_" } },
          "additionalProperties": false
        }
        """;

    public const string FileExample = """
        { "machineId": "mach_9" }
        """;

    protected override IEnumerable<KeyValuePair<string, string>> AdditionalSettings()
    {
        // Inside the server's own data folder, which goes with it.
        var folder = Path.Combine(Path.GetDirectoryName(DatabasePath)!, "catalog");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "heartbeat.schema.json"), FileSchema);
        File.WriteAllText(Path.Combine(folder, "heartbeat.example.json"), FileExample);
        return
        [
            .. base.AdditionalSettings(),
            new("Webhooks:EventTypes:0:Code", InlineCode),
            new("Webhooks:EventTypes:0:Type", "license"),
            new("Webhooks:EventTypes:0:Description", "A license was created."),
            new("Webhooks:EventTypes:0:Schema", InlineSchema),
            new("Webhooks:EventTypes:0:Example", InlineExample),
            new("Webhooks:EventTypes:1:Code", FileCode),
            new("Webhooks:EventTypes:1:Type", "machine"),
            new("Webhooks:EventTypes:1:Description", "A machine stopped sending heartbeats."),
            new("Webhooks:EventTypes:1:SchemaFile", Path.Combine(folder, "heartbeat.schema.json")),
            new("Webhooks:EventTypes:1:ExampleFile", Path.Combine(folder, "heartbeat.example.json")),
            new("Webhooks:EventTypes:2:Code", PlainCode),
            new("Webhooks:EventTypes:2:Type", "license"),
            new("Webhooks:EventTypes:2:Description", "A license was deleted."),
            .. MoreSettings(),
        ];
    }

    /// <summary>Settings a derived fixture adds to the catalog's.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> MoreSettings() => [];
}

/// <summary>The same catalog with <c>Webhooks:ValidatePayloads</c> off.</summary>
public sealed class EventSchemaUncheckedServer : EventSchemaServer
{
    protected override IEnumerable<KeyValuePair<string, string>> MoreSettings() => [new("Webhooks:ValidatePayloads", "false")];
}
