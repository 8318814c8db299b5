using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;
using Json.Schema.Keywords;

namespace Webhooks.Abstractions.Catalog;

/// <summary>
/// The JSON Schema of one event type's payload, built once when the catalog is read and evaluated for every publish of
/// that type (a built schema is safe to evaluate from many threads at once).
/// </summary>
public sealed class EventSchema
{
    /// <summary>The most places in one payload that a refusal names; past them, the payload has more to fix than is worth listing.</summary>
    public const int MaxReportedViolations = 20;

    /// <summary>
    /// How long one string of a payload may take to match one of the schema's patterns (<c>pattern</c>, or a
    /// <c>patternProperties</c> name) before the payload is refused as one that cannot be checked.
    /// </summary>
    /// <remarks>
    /// A pattern that backtracks, such as <c>^(a+)+$</c>, takes time exponential in the length of a string it fails on:
    /// without a bound, a 30-character value held a core for seconds and a 40-character one for hours, on every
    /// publish. Real matches take microseconds.
    /// </remarks>
    public static readonly TimeSpan PatternMatchTimeout = TimeSpan.FromMilliseconds(100);

    private static readonly EvaluationOptions Detailed = new() { OutputFormat = OutputFormat.List };

    private readonly JsonSchema _schema;

    private EventSchema(JsonSchema schema) => _schema = schema;

    /// <summary>Builds the schema from its JSON text.</summary>
    /// <exception cref="FormatException">The text is not JSON, not a schema, or refers to a schema it does not hold.</exception>
    public static EventSchema Parse(string json)
    {
        JsonSchema schema;
        try
        {
            // A registry of its own: schemas of different event types may share an $id, and none leaks into the process-wide one.
            schema = JsonSchema.FromText(json, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not valid JSON ({ex.Message.TrimEnd('.')})", ex);
        }
        catch (Exception ex) when (ex is JsonSchemaException or ArgumentException)
        {
            // ArgumentException: a root that is neither an object nor a boolean; RegexParseException (an ArgumentException): a bad pattern.
            throw new FormatException($"not a JSON Schema ({ex.Message.TrimEnd('.')})", ex);
        }

        if (UnresolvedReference(schema) is { } reference)
        {
            throw new FormatException($"its $ref '{reference}' does not resolve to a part of the schema (references to other documents are not fetched)");
        }

        BoundPatterns(schema);
        return new EventSchema(schema);
    }

    /// <summary>
    /// Where <paramref name="payload"/> breaks the schema: one entry per place (a JSON Pointer into the payload, empty
    /// for the payload itself) with what failed there, at most <see cref="MaxReportedViolations"/>; empty when it is valid.
    /// </summary>
    public IReadOnlyList<SchemaViolation> Evaluate(JsonElement payload)
    {
        try
        {
            return Violations(payload);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or InvalidOperationException or JsonException)
        {
            // Valid JSON the library cannot read as .NET values: a number beyond decimal's range (const, enum,
            // uniqueItems), an escaped lone surrogate in a string (minLength, pattern, format). Not shown to satisfy
            // the schema, so refused; the caller's mistake, never the server's failure.
            return [new SchemaViolation("", "The payload cannot be checked against its event type's schema: it holds a number too large to compare or a string with an escaped lone surrogate.")];
        }
        catch (RegexMatchTimeoutException)
        {
            // Not shown to satisfy the schema either; the evaluation stops at the first such string, so a payload holding
            // many of them costs one timeout, not one per string.
            return [new SchemaViolation("", $"The payload cannot be checked against its event type's schema: a string in it took longer than {PatternMatchTimeout.TotalMilliseconds:0} ms to match one of the schema's patterns.")];
        }
    }

    private List<SchemaViolation> Violations(JsonElement payload)
    {
        // The flag answer stops at the first failure; only a payload that fails pays for the full list.
        if (_schema.Evaluate(payload).IsValid)
        {
            return [];
        }

        var byPlace = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var results = _schema.Evaluate(payload, Detailed);
        foreach (var node in (IEnumerable<EvaluationResults>?)results.Details ?? [results])
        {
            if (node.Errors is not { Count: > 0 } errors)
            {
                continue;
            }

            var place = node.InstanceLocation.ToString();
            if (!byPlace.TryGetValue(place, out var messages))
            {
                if (byPlace.Count == MaxReportedViolations)
                {
                    continue;
                }

                byPlace[place] = messages = [];
            }

            foreach (var (keyword, message) in errors)
            {
                // The payload's place says where; the keyword says which rule. (The library's schema locations for
                // array items are not reliable enough to name a place in the schema.) It names no keyword for a false
                // schema (additionalProperties: false, say), whose place the evaluation path ends with.
                messages.Add(keyword.Length > 0
                    ? $"{message} ({keyword})"
                    : $"No value is allowed here ({node.EvaluationPath.ToString().Split('/')[^1]}: false)");
            }
        }

        return [.. byPlace.Select(p => new SchemaViolation(p.Key, string.Join("; ", p.Value.Distinct(StringComparer.Ordinal))))];
    }

    // A $ref the build could not point at a subschema fails every evaluation that reaches it, which would make a
    // publish fail on the server's configuration; found here, it stops the start instead.
    // Named as the schema wrote it: the resolved form carries the base URI the library made up.
    private static string? UnresolvedReference(JsonSchema schema) =>
        Keywords(schema).FirstOrDefault(k => k.Handler is RefKeyword && k.Subschemas is not { Length: > 0 }) is not { } reference ? null
        : reference.RawValue.ValueKind == JsonValueKind.String ? reference.RawValue.GetString()
        : reference.RawValue.GetRawText();

    // The library compiles `pattern` and `patternProperties` with no match timeout. Their expressions are replaced, once,
    // before the schema is ever evaluated, by the same expressions with PatternMatchTimeout: whatever dialect the schema
    // names with $schema, and wherever in it they are (properties, items, propertyNames, definitions).
    private static void BoundPatterns(JsonSchema schema)
    {
        foreach (var keyword in Keywords(schema))
        {
            keyword.Value = keyword.Value switch
            {
                Regex regex => Timed(regex),
                Dictionary<string, Regex> byName => byName.ToDictionary(p => p.Key, p => Timed(p.Value), byName.Comparer),
                var other => other,
            };
        }
    }

    private static Regex Timed(Regex regex) => new(regex.ToString(), regex.Options, PatternMatchTimeout);

    /// <summary>Every keyword of the built schema, each once, subschemas and definitions included.</summary>
    private static IEnumerable<KeywordData> Keywords(JsonSchema schema)
    {
        var seen = new HashSet<JsonSchemaNode>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<JsonSchemaNode>();
        if (schema.Root is { } root)
        {
            pending.Push(root);
        }

        while (pending.TryPop(out var node))
        {
            if (!seen.Add(node))
            {
                continue;
            }

            foreach (var keyword in node.Keywords ?? [])
            {
                yield return keyword;
                foreach (var subschema in keyword.Subschemas ?? [])
                {
                    pending.Push(subschema);
                }
            }
        }
    }
}
