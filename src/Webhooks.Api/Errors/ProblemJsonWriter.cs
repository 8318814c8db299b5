using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Webhooks.Api.Auth;

namespace Webhooks.Api.Errors;

/// <summary>
/// Writes every problem as <c>application/problem+json</c>, whatever the request's <c>Accept</c> header says.
/// </summary>
/// <remarks>
/// The framework's own writer declines a request whose <c>Accept</c> names neither JSON nor a wildcard
/// (<c>application/xml</c>, <c>text/html</c>), and with no writer left, every error path (an authentication
/// challenge, a routing 404, the exception handler) failed with a 500 and no body. An API with one representation
/// answers with it, as most JSON APIs do: an error the client can read beats a 406 it cannot. Registered before the
/// framework's writer, so it is the one that writes, for the API's requests only: the host's own problems go to the
/// host's writers, with the host's customization, as if the API were not there.
/// </remarks>
internal sealed class ProblemJsonWriter(WebhooksApiMounts mounts, IOptions<JsonOptions> jsonOptions) : IProblemDetailsWriter
{
    private const string ContentType = "application/problem+json";

    /// <summary>The RFC 9110 section and title of common statuses (others get their reason phrase as the title).</summary>
    private static readonly Dictionary<int, (string Type, string Title)> KnownProblems = new()
    {
        [StatusCodes.Status400BadRequest] = (Rfc9110("15.5.1"), "Bad Request"),
        [StatusCodes.Status401Unauthorized] = (Rfc9110("15.5.2"), "Unauthorized"),
        [StatusCodes.Status403Forbidden] = (Rfc9110("15.5.4"), "Forbidden"),
        [StatusCodes.Status404NotFound] = (Rfc9110("15.5.5"), "Not Found"),
        [StatusCodes.Status405MethodNotAllowed] = (Rfc9110("15.5.6"), "Method Not Allowed"),
        [StatusCodes.Status406NotAcceptable] = (Rfc9110("15.5.7"), "Not Acceptable"),
        [StatusCodes.Status408RequestTimeout] = (Rfc9110("15.5.9"), "Request Timeout"),
        [StatusCodes.Status409Conflict] = (Rfc9110("15.5.10"), "Conflict"),
        [StatusCodes.Status412PreconditionFailed] = (Rfc9110("15.5.13"), "Precondition Failed"),
        [StatusCodes.Status415UnsupportedMediaType] = (Rfc9110("15.5.16"), "Unsupported Media Type"),
        [StatusCodes.Status422UnprocessableEntity] = (Rfc9110("15.5.21"), "Unprocessable Entity"),
        [StatusCodes.Status500InternalServerError] = (Rfc9110("15.6.1"), "An error occurred while processing your request."),
        [StatusCodes.Status503ServiceUnavailable] = (Rfc9110("15.6.4"), "Service Unavailable"),
    };

    public bool CanWrite(ProblemDetailsContext context) => mounts.Covers(context.HttpContext);

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var httpContext = context.HttpContext;
        var problem = context.ProblemDetails;
        var status = problem.Status ?? httpContext.Response.StatusCode;
        problem.Status = status;
        if (KnownProblems.TryGetValue(status, out var known))
        {
            problem.Type ??= known.Type;
            problem.Title ??= known.Title;
        }
        else
        {
            problem.Title ??= ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : null;
        }

        problem.Extensions.TryAdd("traceId", Activity.Current?.Id ?? httpContext.TraceIdentifier);
        ProblemDetailsSetup.Customize(context);

        var serializer = jsonOptions.Value.SerializerOptions;
        return new ValueTask(httpContext.Response.WriteAsJsonAsync(problem, serializer.GetTypeInfo(problem.GetType()), ContentType, httpContext.RequestAborted));
    }

    private static string Rfc9110(string section) => "https://tools.ietf.org/html/rfc9110#section-" + section;
}
