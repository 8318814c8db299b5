using System.Text.Json;
using CsCheck;
using Webhooks.Abstractions.Catalog;
using Webhooks.Api.Tests.Fuzzing;

namespace Webhooks.Api.Tests.Catalog;

/// <summary>A built schema names each failing place of a payload once, follows references inside itself, and lists a bounded number of places.</summary>
public sealed class EventSchemaTests
{
    [Fact]
    public void Evaluate_ValidPayload_NamesNothing()
    {
        var schema = EventSchema.Parse("""{"type":"object","properties":{"seats":{"type":"integer"}}}""");

        Assert.Empty(schema.Evaluate(Parse("""{"seats":3}""")));
    }

    [Fact]
    public void Evaluate_FollowsReferencesInsideTheSchema()
    {
        var schema = EventSchema.Parse("""{"$defs":{"seats":{"type":"integer","minimum":1}},"properties":{"seats":{"$ref":"#/$defs/seats"}}}""");

        var violation = Assert.Single(schema.Evaluate(Parse("""{"seats":0}""")));

        Assert.Equal(new SchemaViolation("/seats", "0 should be at least 1 (minimum)"), violation);
    }

    [Fact]
    public void Evaluate_SeveralRulesBrokenInOnePlace_AreOneViolation()
    {
        var schema = EventSchema.Parse("""{"type":"string","minLength":5,"pattern":"^lic_"}""");

        var violation = Assert.Single(schema.Evaluate(Parse("\"abc\"")));

        Assert.Equal("", violation.Pointer);
        Assert.Contains("(minLength)", violation.Message, StringComparison.Ordinal);
        Assert.Contains("(pattern)", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NamesAtMostTheCap_OfFailingPlaces()
    {
        var schema = EventSchema.Parse("""{"type":"array","items":{"type":"string"}}""");

        var violations = schema.Evaluate(Parse(JsonSerializer.Serialize(Enumerable.Range(0, 50))));

        Assert.Equal(EventSchema.MaxReportedViolations, violations.Count);
        Assert.Equal(violations.Count, violations.Select(v => v.Pointer).Distinct().Count());
        Assert.All(violations, v => Assert.Matches("^/[0-9]+$", v.Pointer));
    }

    [Fact]
    public void Evaluate_SpecialCharactersInANameAreEscaped_AsAJsonPointerEscapesThem()
    {
        var schema = EventSchema.Parse("""{"properties":{"a/b":{"type":"string"},"c~d":{"type":"string"}}}""");

        var places = schema.Evaluate(Parse("""{"a/b":1,"c~d":2}""")).Select(v => v.Pointer).Order(StringComparer.Ordinal);

        Assert.Equal(["/a~1b", "/c~0d"], places);
    }

    [Theory]
    [InlineData("""{"const":1}""", "1e400")]
    [InlineData("""{"enum":[1,2]}""", "-123456789012345678901234567890123")]
    [InlineData("""{"uniqueItems":true}""", "[1e400,1e400]")]
    [InlineData("""{"pattern":"^a"}""", "\"\\ud800\"")]
    [InlineData("""{"minLength":2}""", "\"\\udc00x\"")]
    public void Evaluate_JsonTheLibraryCannotReadAsValues_IsAViolationOfThePayload_NotAnException(string schemaJson, string payload)
    {
        var violation = Assert.Single(EventSchema.Parse(schemaJson).Evaluate(Parse(payload)));

        Assert.Equal("", violation.Pointer);
        Assert.Contains("cannot be checked", violation.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"$schema\":\"http://json-schema.org/draft-06/schema#\",")]
    [InlineData("\"$schema\":\"http://json-schema.org/draft-07/schema#\",")]
    [InlineData("\"$schema\":\"https://json-schema.org/draft/2019-09/schema\",")]
    [InlineData("\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",")]
    [InlineData("\"$schema\":\"https://json-schema.org/v1\",")]
    [InlineData("\"$schema\":\"https://json-schema.org/v1/2026\",")]
    public async Task Evaluate_AStringThatMakesAPatternBacktrack_IsAViolationAfterTheTimeout_WhicheverDialectTheSchemaNames(string dialect)
    {
        var schema = EventSchema.Parse("{" + dialect + """ "properties":{"serial":{"pattern":"^(a+)+$"}},"patternProperties":{"^(b+)+$":true}}""");
        // Each character more doubles the work: without a bound, 40 of them take hours to be found not to match.
        var runaway = new string('a', 40) + "!";
        var runawayName = new string('b', 40) + "!";

        // Bounded here too, so a regression fails the test instead of holding the run for hours.
        var byValue = await Task.Run(() => schema.Evaluate(Parse($$"""{"serial":"{{runaway}}"}"""))).WaitAsync(TimeSpan.FromMinutes(2));
        var byName = await Task.Run(() => schema.Evaluate(Parse($$"""{"{{runawayName}}":1}"""))).WaitAsync(TimeSpan.FromMinutes(2));

        foreach (var violations in (IReadOnlyList<SchemaViolation>[])[byValue, byName])
        {
            var violation = Assert.Single(violations);
            Assert.Equal("", violation.Pointer);
            Assert.Contains("took longer than 100 ms to match one of the schema's patterns", violation.Message, StringComparison.Ordinal);
        }

        // The same patterns still decide the strings they are quick on.
        Assert.Empty(schema.Evaluate(Parse("""{"serial":"aaaa","bbbb":1}""")));
        Assert.Equal("/serial", Assert.Single(schema.Evaluate(Parse("""{"serial":"b"}"""))).Pointer);
    }

    [Fact]
    public void Evaluate_AnyJsonValue_NeverThrows_AndNamesAtMostTheCap()
    {
        // Every keyword that reads values (numbers as decimals, strings as .NET strings) on the fuzzer's field names and
        // at the root, so the fuzzer's values, escaped lone surrogates and numbers beyond any .NET type among them, reach each.
        var schema = EventSchema.Parse("""
            {"properties":{
               "payload":{"const":1},"uri":{"enum":[1,"a",null,{"b":[2]}]},"eventId":{"pattern":"^a","minLength":2,"format":"email"},
               "resourceId":{"multipleOf":0.01,"minimum":1,"exclusiveMaximum":5},"subscriptions":{"uniqueItems":true,"items":{"format":"date-time"}},
               "since":{"format":"uri"},"until":{"format":"duration"},"name":{"format":"ipv4"},"description":{"maxLength":3,"format":"regex"}},
             "required":["uri"],"propertyNames":{"maxLength":8},"additionalProperties":{"type":"integer"},
             "items":{"multipleOf":3,"maximum":10},"uniqueItems":true,"contains":{"const":"x"},"minLength":2,"pattern":"[0-9]","format":"uuid"}
            """);

        FuzzJson.Value(3).Sample(json =>
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(json);
            }
            catch (JsonException)
            {
                return;
            }

            using (document)
            {
                var violations = schema.Evaluate(document.RootElement);
                Assert.True(violations.Count <= EventSchema.MaxReportedViolations);
                Assert.All(violations, v => Assert.False(string.IsNullOrWhiteSpace(v.Message)));
            }
        }, iter: 3000);
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
