using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Webhooks.Api.Publishing;

namespace Webhooks.Server.Document;

/// <summary>
/// Describes an event's payload as what it is, any JSON value, instead of a reference to the object model of the type
/// that carries it (<see cref="JsonElement"/> in requests, <see cref="RawJson"/> in responses), which reads as an empty object.
/// </summary>
internal sealed class AnyJsonValueTransformer : IOpenApiDocumentTransformer
{
    private static readonly HashSet<string> ValueTypes = new(StringComparer.Ordinal) { nameof(JsonElement), nameof(RawJson) };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var schema in document.Components?.Schemas?.Values ?? Enumerable.Empty<IOpenApiSchema>())
        {
            if (schema is not OpenApiSchema { Properties: { } properties })
            {
                continue;
            }

            foreach (var (name, property) in properties.ToArray())
            {
                if (IsValue(property) || property.OneOf?.Any(IsValue) == true)
                {
                    // No type at all: any JSON value, null included.
                    properties[name] = new OpenApiSchema
                    {
                        Description = "Any JSON value (object, array, string, number, boolean or null), delivered as it was published.",
                    };
                }
            }
        }

        return Task.CompletedTask;
    }

    private static bool IsValue(IOpenApiSchema schema) => schema is OpenApiSchemaReference { Reference.Id: { } id } && ValueTypes.Contains(id);
}
