using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;

namespace Webhooks.Server.Document;

/// <summary>
/// Gives every error response the one schema the API actually writes: RFC 9457 problem details with the compatible
/// error fields (<c>errorCode</c>, <c>error</c>, <c>details</c>, <c>validationErrors</c>), and an example per status.
/// </summary>
/// <remarks>
/// The endpoints' metadata names the framework's <c>ProblemDetails</c> and <c>HttpValidationProblemDetails</c>, whose
/// generated schemas know nothing of the fields our problem writer adds, make every field nullable and type
/// <c>status</c> as an integer or a string; this replaces both with <see cref="SchemaName"/>.
/// </remarks>
internal sealed class ProblemSchemaTransformer : IOpenApiDocumentTransformer
{
    /// <summary>The name of the problem schema in the document's components.</summary>
    public const string SchemaName = "Problem";

    private const string ProblemMediaType = "application/problem+json";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[SchemaName] = ProblemSchema();

        foreach (var operation in document.Paths.Values.SelectMany(path => path.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()))
        {
            foreach (var (code, response) in operation.Responses ?? new OpenApiResponses())
            {
                if (response.Content is not { } content || !int.TryParse(code, out var status) || status < 400)
                {
                    continue;
                }

                content.Clear();
                content[ProblemMediaType] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchemaReference(SchemaName, document),
                    Example = Example(status),
                };
                if (response is OpenApiResponse concrete)
                {
                    concrete.Description = ResponseDescription(status);
                }
            }
        }

        return Task.CompletedTask;
    }

    private static OpenApiSchema ProblemSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An RFC 9457 problem that also carries the fields of the compatible API's error body.",
        Required = new HashSet<string>(StringComparer.Ordinal) { "title", "status", "detail", "traceId", "errorCode", "error", "details", "validationErrors" },
        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
        {
            ["type"] = Text("A URI naming the kind of problem (the RFC 9110 section of the status); absent for statuses without one.", "uri"),
            ["title"] = Text("A short summary of the kind of problem."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status code.", Minimum = "400", Maximum = "599" },
            ["detail"] = Text("What went wrong with this request, for a person to read."),
            ["traceId"] = Text("The request's trace id, to find it in the server's logs."),
            ["errorCode"] = Text("A stable code for the kind of error, for programs (NotFound, ValidationFailed, ListenerLimitReached, …)."),
            ["error"] = Text("The compatible API's name of the error: the same as title."),
            ["details"] = Text("The compatible API's details: the same as detail."),
            ["validationErrors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "One entry per invalid field; empty unless the request failed validation.",
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string>(StringComparer.Ordinal) { "propertyName", "errorMessage" },
                    Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
                    {
                        ["propertyName"] = Text("The field, as named in the request (camelCase)."),
                        ["errorMessage"] = Text("What is wrong with it."),
                    },
                },
            },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "The same validation errors keyed by field, as ASP.NET Core's validation problems carry them; only on validation failures.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = Text("What is wrong with the field.") },
            },
        },
    };

    private static OpenApiSchema Text(string description, string? format = null) =>
        new() { Type = JsonSchemaType.String, Description = description, Format = format };

    private static string ResponseDescription(int status) => status switch
    {
        400 => "The request is malformed: a body that is not JSON of the documented shape, a parameter of the wrong type, or a missing or repeated N-TenantId.",
        401 => "No API key, or one that is not valid.",
        403 => "The key may not perform this operation, or names another tenant.",
        404 => "No such resource (another tenant's is not found either), or no such tenant.",
        409 => "The request conflicts with the resource's state or a limit.",
        413 => "The request body is larger than this endpoint accepts.",
        415 => "The body is not sent as application/json.",
        422 => "One or more fields are invalid; see validationErrors.",
        429 => "Too many requests from this key; retry after the Retry-After header's seconds.",
        503 => "The service cannot reach its storage or cluster for now; retry after the Retry-After header's seconds.",
        _ => ReasonPhrases.GetReasonPhrase(status),
    };

    private static JsonObject Example(int status)
    {
        // The RFC 9110 section is the one the problem writer names; it names none for 413 and 429.
        var (errorCode, section, detail) = status switch
        {
            400 => ("BadRequest", "15.5.1", "The request is malformed: check that the body is valid JSON of the documented shape and the parameters are well-formed."),
            401 => ("Unauthorized", "15.5.2", "Send a valid API key as 'Authorization: Bearer <key>'."),
            403 => ("Forbidden", "15.5.4", "This key may not perform this operation."),
            404 => ("NotFound", "15.5.5", "No such resource."),
            409 => ("Conflict", "15.5.10", "The request conflicts with the resource's current state."),
            413 => ("PayloadTooLarge", null, "The request body is larger than this endpoint accepts."),
            415 => ("UnsupportedMediaType", "15.5.16", "Send the body as 'Content-Type: application/json'."),
            422 => ("ValidationFailed", "15.5.21", "One or more fields are invalid; see validationErrors."),
            429 => ("TooManyRequests", null, "Too Many Requests"),
            503 => ("StorageUnavailable", "15.6.4", "The service is temporarily unavailable; retry later."),
            _ => ("Error", null, ReasonPhrases.GetReasonPhrase(status)),
        };
        var title = status == 422 ? "Validation failed" : ReasonPhrases.GetReasonPhrase(status);
        var example = new JsonObject();
        if (section is not null)
        {
            example["type"] = "https://tools.ietf.org/html/rfc9110#section-" + section;
        }

        example["title"] = title;
        example["status"] = status;
        example["detail"] = detail;
        example["traceId"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        example["errorCode"] = errorCode;
        example["error"] = title;
        example["details"] = detail;
        example["validationErrors"] = new JsonArray();
        if (status == 422)
        {
            const string message = "The uri must be an absolute http or https URI.";
            example["validationErrors"] = new JsonArray(new JsonObject { ["propertyName"] = "uri", ["errorMessage"] = message });
            example["errors"] = new JsonObject { ["uri"] = new JsonArray(message) };
        }

        return example;
    }
}
