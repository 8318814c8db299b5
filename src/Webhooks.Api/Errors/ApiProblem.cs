using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Webhooks.Api.Errors;

/// <summary>
/// Builds the API's error responses: RFC 9457 problem details that also carry the fields of the compatible
/// API's error body (<c>error</c>, <c>errorCode</c>, <c>details</c>, <c>validationErrors</c>).
/// </summary>
public static class ApiProblem
{
    public static ProblemHttpResult NotFound(string detail) => Create(StatusCodes.Status404NotFound, "NotFound", detail);

    public static ProblemHttpResult BadRequest(string detail) => Create(StatusCodes.Status400BadRequest, "BadRequest", detail);

    public static ProblemHttpResult Forbidden(string detail) => Create(StatusCodes.Status403Forbidden, "Forbidden", detail);

    public static ProblemHttpResult Conflict(string detail) => Create(StatusCodes.Status409Conflict, "Conflict", detail);

    /// <summary>422 (or <paramref name="status"/>, 400 for a query that cannot be served) with one entry per invalid field.</summary>
    public static ProblemHttpResult Validation(IReadOnlyDictionary<string, string> errors, int status = StatusCodes.Status422UnprocessableEntity) =>
        TypedResults.Problem(
            statusCode: status,
            title: "Validation failed",
            detail: "One or more fields are invalid; see validationErrors.",
            extensions: new Dictionary<string, object?>
            {
                ["errorCode"] = "ValidationFailed",
                ["validationErrors"] = errors.Select(e => new ValidationError(e.Key, e.Value)).ToArray(),
                ["errors"] = errors.ToDictionary(e => e.Key, e => new[] { e.Value }),
            });

    public static ProblemHttpResult Create(int status, string errorCode, string detail) =>
        TypedResults.Problem(statusCode: status, detail: detail, extensions: new Dictionary<string, object?> { ["errorCode"] = errorCode });
}

/// <summary>One invalid field and what is wrong with it.</summary>
public sealed record ValidationError(string PropertyName, string ErrorMessage);
