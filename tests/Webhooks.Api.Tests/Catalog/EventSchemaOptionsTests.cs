using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using Webhooks.Abstractions.Catalog;

namespace Webhooks.Api.Tests.Catalog;

/// <summary>
/// Schemas and examples bind inline or from files relative to the content root, reach the catalog as compact JSON,
/// and a schema or example that cannot be used fails the start-up check with a message naming its setting.
/// </summary>
public sealed class EventSchemaOptionsTests : IDisposable
{
    private const string Entry = "Webhooks:EventTypes:0";
    private const string Schema = """{"type":"object","required":["seats"],"properties":{"seats":{"type":"integer","minimum":1}}}""";

    private readonly string _contentRoot = Directory.CreateTempSubdirectory("webhooks-catalog-").FullName;

    [Fact]
    public void InlineSchemaAndExample_ReachTheCatalog_AsCompactJson()
    {
        using var provider = Build(new()
        {
            [Entry + ":Schema"] = "{ \"type\": \"object\",\n  \"properties\": { \"seats\": { \"type\": \"integer\" } } }",
            [Entry + ":Example"] = "{ \"seats\": 3 }",
        });

        var entry = provider.GetRequiredService<EventCatalog>().EventTypes[0];

        Assert.Equal("""{"type":"object","properties":{"seats":{"type":"integer"}}}""", entry.Schema);
        Assert.Equal("""{"seats":3}""", entry.Example);
        Assert.NotNull(provider.GetRequiredService<EventCatalog>().PayloadSchema("license.created"));
    }

    [Fact]
    public void SchemaAndExampleFiles_AreReadRelativeToTheContentRoot()
    {
        Directory.CreateDirectory(Path.Combine(_contentRoot, "schemas"));
        File.WriteAllText(Path.Combine(_contentRoot, "schemas", "license.json"), Schema);
        File.WriteAllText(Path.Combine(_contentRoot, "schemas", "license.example.json"), """{"seats":2}""");

        using var provider = Build(new()
        {
            [Entry + ":SchemaFile"] = "schemas/license.json",
            [Entry + ":ExampleFile"] = "schemas/license.example.json",
        });

        var catalog = provider.GetRequiredService<EventCatalog>();
        Assert.Equal(Schema, catalog.EventTypes[0].Schema);
        Assert.Equal("""{"seats":2}""", catalog.EventTypes[0].Example);
    }

    [Fact]
    public void NoSchemaAnywhere_LeavesEveryPayloadUnchecked()
    {
        using var provider = Build([], entry: false);

        var catalog = provider.GetRequiredService<EventCatalog>();

        Assert.All(catalog.EventTypes, e => Assert.Null(e.Schema));
        Assert.All(catalog.EventTypes, e => Assert.Null(catalog.PayloadSchema(e.Code)));
    }

    [Fact]
    public void ValidatePayloadsOff_KeepsTheSchemaListed_ButAppliesNone()
    {
        using var provider = Build(new() { [Entry + ":Schema"] = Schema, ["Webhooks:ValidatePayloads"] = "false" });

        var catalog = provider.GetRequiredService<EventCatalog>();

        Assert.Equal(Schema, catalog.EventTypes[0].Schema);
        Assert.Null(catalog.PayloadSchema("license.created"));
    }

    public static TheoryData<string, string, string> Unusable => new()
    {
        { "schema not JSON", Entry + ":Schema", "not valid JSON" },
        { "schema with an unknown type", Entry + ":Schema", "not a JSON Schema" },
        { "schema an array", Entry + ":Schema", "not a JSON Schema" },
        { "schema with a reference to nowhere", Entry + ":Schema", "#/$defs/seat" },
        { "schema with a reference to another document", Entry + ":Schema", "https://schemas.example.com/seat.json" },
        { "schema inline and from a file", Entry + ":Schema and " + Entry + ":SchemaFile", "both set" },
        { "schema file missing", Entry + ":SchemaFile ('missing.json')", "cannot be read" },
        { "schema as a configuration section", Entry + ":Schema is a configuration section", "JSON string" },
        { "example as a configuration section", Entry + ":Example is a configuration section", "JSON string" },
        { "example not JSON", Entry + ":Example", "not valid JSON" },
        { "example breaking the schema", Entry + ":Example", "at '/seats', 0 should be at least 1 (minimum)" },
        { "example of the wrong type", Entry + ":Example", "at the example itself" },
        { "no code", Entry + ":Code", "must be set" },
    };

    [Theory]
    [MemberData(nameof(Unusable))]
    public void UnusableSchemaOrExample_FailsTheStartUpCheck_WithOneMessageNamingTheSetting(string name, string setting, string says)
    {
        using var provider = Build(name switch
        {
            "schema not JSON" => new() { [Entry + ":Schema"] = """{"type":""" },
            "schema with an unknown type" => new() { [Entry + ":Schema"] = """{"type":"objekt"}""" },
            "schema an array" => new() { [Entry + ":Schema"] = """[{"type":"object"}]""" },
            "schema with a reference to nowhere" => new() { [Entry + ":Schema"] = """{"properties":{"seat":{"$ref":"#/$defs/seat"}}}""" },
            "schema with a reference to another document" => new() { [Entry + ":Schema"] = """{"$ref":"https://schemas.example.com/seat.json"}""" },
            "schema inline and from a file" => new() { [Entry + ":Schema"] = Schema, [Entry + ":SchemaFile"] = "license.json" },
            "schema file missing" => new() { [Entry + ":SchemaFile"] = "missing.json" },
            "schema as a configuration section" => new() { [Entry + ":Schema:type"] = "object" },
            "example as a configuration section" => new() { [Entry + ":Example:seats"] = "3" },
            "example not JSON" => new() { [Entry + ":Example"] = "seats=3" },
            "example breaking the schema" => new() { [Entry + ":Schema"] = Schema, [Entry + ":Example"] = """{"seats":0}""" },
            "example of the wrong type" => new() { [Entry + ":Schema"] = Schema, [Entry + ":Example"] = "[]" },
            "no code" => new() { [Entry + ":Code"] = "" },
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such case."),
        });

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<EventCatalogOptions>>().Value);

        var message = Assert.Single(failure.Failures);
        Assert.StartsWith(setting, message, StringComparison.Ordinal);
        Assert.Contains(says, message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void ACatalogBuiltWithoutTheStartUpCheck_RefusesAnUnusableSchemaToo()
    {
        var options = Options.Create(new EventCatalogOptions { EventTypes = [new EventType { Code = "license.created", Schema = "{" }] });

        var failure = Assert.Throws<OptionsValidationException>(() => new EventCatalog(options));

        Assert.StartsWith(Entry + ":Schema is not valid JSON", Assert.Single(failure.Failures), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_contentRoot, recursive: true);

    private ServiceProvider Build(Dictionary<string, string?> settings, bool entry = true)
    {
        if (entry)
        {
            settings.TryAdd(Entry + ":Code", "license.created");
            settings.TryAdd(Entry + ":Type", "license");
            settings.TryAdd(Entry + ":Description", "A license was created.");
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var environment = new HostingEnvironment { EnvironmentName = "Development", ContentRootPath = _contentRoot };
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddSingleton<IHostEnvironment>(environment).AddLogging();
        services.AddWebhooksApi(environment);
        return services.BuildServiceProvider();
    }
}
