using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Webhooks.Server.Document;

/// <summary>
/// Makes each body's schema say what the server sends and accepts: required means required, null only where null is
/// sent or accepted, integers are integers, and every body has an example.
/// </summary>
/// <remarks>
/// Request bodies declare their fields nullable so that a missing field reaches the validator (a 422 naming it) rather
/// than failing binding; the fields the validator requires carry <see cref="RequiredAttribute"/>, and only those are
/// required, and never null, in the document. The other fields of a request may be left out or sent as null.
/// </remarks>
internal sealed class WireSchemaTransformer(IApiDescriptionGroupCollectionProvider descriptions) : IOpenApiSchemaTransformer
{
    private readonly Lazy<HashSet<Type>> _requestBodies = new(() => RequestBodies(descriptions));

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        // The web serializer reads numbers from strings too, so the generator types them integer-or-string with a digit
        // pattern; the server always writes numbers, and clients should send them.
        if (schema.Type is { } type && (type & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0 && (type & JsonSchemaType.String) != 0)
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        if (context.JsonPropertyInfo is { } property)
        {
            DescribeProperty(schema, property);
        }
        else if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && schema.Properties is not null)
        {
            DescribeObject(schema, context.JsonTypeInfo);
        }

        return Task.CompletedTask;
    }

    private void DescribeProperty(OpenApiSchema schema, JsonPropertyInfo property)
    {
        if (IsRequiredInRequest(property) || IsLeftOutWhenNull(property))
        {
            NeverNull(schema);
        }

        // The generator leaves AllowedValues out; a field that takes a few names lists them (and null, if it takes null).
        if (property.AttributeProvider?.GetCustomAttributes(typeof(AllowedValuesAttribute), inherit: true).OfType<AllowedValuesAttribute>().FirstOrDefault() is { } allowed)
        {
            var values = allowed.Values.Select(v => v is null ? JsonNullSentinel.JsonNull : (JsonNode)JsonValue.Create(v.ToString()!)).ToList();
            if (schema.Items is OpenApiSchema items)
            {
                // A list of those names: each item is one of them, never null, and none is named twice.
                items.Type = items.Type is { } itemType ? itemType & ~JsonSchemaType.Null : JsonSchemaType.String;
                items.Enum = values;
                schema.UniqueItems = true;
                return;
            }

            if (schema.Type is { } type && (type & JsonSchemaType.Null) != 0)
            {
                values.Add(JsonNullSentinel.JsonNull);
            }

            schema.Enum = values;
        }
    }

    private void DescribeObject(OpenApiSchema schema, JsonTypeInfo type)
    {
        schema.Required ??= new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in type.Properties)
        {
            var required = _requestBodies.Value.Contains(type.Type) ? IsRequiredInRequest(property) : !IsLeftOutWhenNull(property);
            if (required)
            {
                schema.Required.Add(property.Name);
            }
            else
            {
                schema.Required.Remove(property.Name);
            }

            if (schema.Properties!.TryGetValue(property.Name, out var propertySchema) && propertySchema is OpenApiSchema concrete)
            {
                DescribeProperty(concrete, property);
            }
        }

        if (SchemaExamples.For(type.Type) is { } example)
        {
            schema.Examples = [example];
        }
    }

    private bool IsRequiredInRequest(JsonPropertyInfo property) =>
        property.DeclaringType is { } declaring && _requestBodies.Value.Contains(declaring)
        && property.AttributeProvider?.IsDefined(typeof(RequiredAttribute), inherit: true) == true;

    // A response field that is left out rather than sent as null is optional, and never null when present.
    private static bool IsLeftOutWhenNull(JsonPropertyInfo property) =>
        property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: true)
            .OfType<JsonIgnoreAttribute>()
            .Any(ignore => ignore.Condition is JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault) == true;

    private static void NeverNull(OpenApiSchema schema)
    {
        if (schema.Type is { } type)
        {
            schema.Type = type & ~JsonSchemaType.Null;
        }

        // An array the server requires is refused with a null item too (no event code is null).
        if (schema.Items is OpenApiSchema { Type: { } itemType } items)
        {
            items.Type = itemType & ~JsonSchemaType.Null;
        }
    }

    private static HashSet<Type> RequestBodies(IApiDescriptionGroupCollectionProvider descriptions) =>
    [
        .. descriptions.ApiDescriptionGroups.Items
            .SelectMany(group => group.Items)
            .SelectMany(description => description.ParameterDescriptions)
            .Where(parameter => parameter.Source == BindingSource.Body)
            .Select(parameter => Nullable.GetUnderlyingType(parameter.Type) ?? parameter.Type),
    ];
}
