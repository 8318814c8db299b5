using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Webhooks.Server.Document;

/// <summary>
/// Drops component schemas nothing refers to any more: the framework's problem types once every error names ours, and the
/// types of payloads once they are described as any JSON value. Registered last, after every transformer that drops a reference.
/// </summary>
internal sealed class UnusedSchemaTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        if (document.Components?.Schemas is { } components)
        {
            Remove(document, components);
        }

        return Task.CompletedTask;
    }

    private static void Remove(OpenApiDocument document, IDictionary<string, IOpenApiSchema> components)
    {

        var used = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<IOpenApiSchema>();
        foreach (var operation in document.Paths.Values.SelectMany(path => path.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()))
        {
            foreach (var parameter in operation.Parameters ?? [])
            {
                Push(pending, parameter.Schema);
            }

            foreach (var media in (operation.RequestBody?.Content?.Values ?? []).Concat((operation.Responses?.Values ?? Enumerable.Empty<IOpenApiResponse>()).SelectMany(r => r.Content?.Values ?? [])))
            {
                Push(pending, media.Schema);
            }
        }

        while (pending.TryPop(out var schema))
        {
            if (schema is OpenApiSchemaReference reference)
            {
                if (reference.Reference.Id is { } id && used.Add(id) && components.TryGetValue(id, out var target))
                {
                    pending.Push(target);
                }

                continue;
            }

            foreach (var child in (schema.Properties?.Values ?? []).Concat(schema.AllOf ?? []).Concat(schema.OneOf ?? []).Concat(schema.AnyOf ?? []))
            {
                pending.Push(child);
            }

            Push(pending, schema.Items);
            Push(pending, schema.AdditionalProperties);
        }

        foreach (var name in components.Keys.Where(name => !used.Contains(name)).ToArray())
        {
            components.Remove(name);
        }
    }

    private static void Push(Stack<IOpenApiSchema> pending, IOpenApiSchema? schema)
    {
        if (schema is not null)
        {
            pending.Push(schema);
        }
    }
}
