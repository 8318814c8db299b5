using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Webhooks.Api.Listeners;
using Webhooks.Api.Publishing;

namespace Webhooks.Server.Document;

/// <summary>
/// Describes an event's payload as what it is, any JSON value, instead of a reference to the object model of the type
/// that carries it (<see cref="JsonElement"/> in requests, <see cref="RawJson"/> in responses), which reads as an empty object; the
/// catalog's schema and example, which are JSON values too, say what they are.
/// </summary>
internal sealed class AnyJsonValueTransformer : IOpenApiDocumentTransformer
{
    private const string PayloadDescription = "Any JSON value (object, array, string, number, boolean or null), delivered as it was published.";

    // The JSON values that are not an event's payload, by body and property.
    private static readonly Dictionary<(string Schema, string Property), string> Descriptions = new()
    {
        [(nameof(EventTypeModel), "schema")] = "The JSON Schema that every payload of this event satisfies (a JSON object or boolean); absent when the deployment gives none.",
        [(nameof(EventTypeModel), "example")] = "An example payload of this event, for listener authors (any JSON value); absent when the deployment gives none.",
    };

    private static readonly HashSet<string> ValueTypes = new(StringComparer.Ordinal) { nameof(JsonElement), nameof(RawJson) };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var (schemaName, schema) in document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>())
        {
            if (schema is not OpenApiSchema { Properties: { } properties })
            {
                continue;
            }

            foreach (var (name, property) in properties.ToArray())
            {
                // A value left out when null may come inlined rather than as a reference: the table names those.
                if (IsValue(property) || property.OneOf?.Any(IsValue) == true || Descriptions.ContainsKey((schemaName, name)))
                {
                    // No type at all: any JSON value, null included.
                    properties[name] = new OpenApiSchema
                    {
                        Description = Descriptions.GetValueOrDefault((schemaName, name), PayloadDescription),
                    };
                }
            }
        }

        return Task.CompletedTask;
    }

    private static bool IsValue(IOpenApiSchema schema) => schema is OpenApiSchemaReference { Reference.Id: { } id } && ValueTypes.Contains(id);
}
