using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Webhooks.Api.Errors;

/// <summary>Gives every problem response, including the framework's own (404 route, 405, 413, 415, bad JSON), the compatible error fields.</summary>
internal static class ProblemDetailsSetup
{
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        problem.Detail ??= DefaultDetail(status);
        problem.Extensions.TryAdd("errorCode", DefaultErrorCode(status));
        problem.Extensions["error"] = problem.Title ?? ReasonPhrases.GetReasonPhrase(status);
        problem.Extensions["details"] = problem.Detail;
        problem.Extensions.TryAdd("validationErrors", Array.Empty<ValidationError>());
    }

    private static string DefaultErrorCode(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "BadRequest",
        StatusCodes.Status401Unauthorized => "Unauthorized",
        StatusCodes.Status403Forbidden => "Forbidden",
        StatusCodes.Status404NotFound => "NotFound",
        StatusCodes.Status405MethodNotAllowed => "MethodNotAllowed",
        StatusCodes.Status409Conflict => "Conflict",
        StatusCodes.Status413PayloadTooLarge => "PayloadTooLarge",
        StatusCodes.Status415UnsupportedMediaType => "UnsupportedMediaType",
        StatusCodes.Status422UnprocessableEntity => "ValidationFailed",
        StatusCodes.Status429TooManyRequests => "TooManyRequests",
        _ => status >= 500 ? "InternalError" : "Error",
    };

    private static string DefaultDetail(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request is malformed: check that the body is valid JSON of the documented shape and the parameters are well-formed.",
        StatusCodes.Status401Unauthorized => "Send a valid API key as 'Authorization: Bearer <key>'.",
        StatusCodes.Status404NotFound => "No such resource.",
        StatusCodes.Status405MethodNotAllowed => "This method is not allowed on this resource.",
        StatusCodes.Status413PayloadTooLarge => "The request body is larger than this endpoint accepts.",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as 'Content-Type: application/json'.",
        _ => ReasonPhrases.GetReasonPhrase(status),
    };
}
