using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Webhooks.Api.Auth;

namespace Webhooks.Api.Errors;

/// <summary>
/// Turns exceptions into problem details: client errors keep their status, an unavailable cluster or store is a
/// 503 with <c>Retry-After</c> (<see cref="TransientFailures"/>), and anything else a generic 500 whose cause is
/// logged, never echoed.
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, WebhooksApiMounts mounts, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    // Long enough for a database restart or a silo's replacement to be noticed; short enough that clients come back soon.
    private const string RetryAfterSeconds = "2";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!mounts.Covers(httpContext))
        {
            // The host's own request: its own handlers, or the framework's, answer it. Except a binding failure, which
            // throws only because the API turned ThrowOnBadRequest on app-wide: it keeps the 400 it would have had,
            // with a body from the host's own writers.
            return exception is BadHttpRequestException hostBadRequest && await WriteForHostAsync(httpContext, exception, hostBadRequest.StatusCode);
        }

        var (status, errorCode, detail) = exception switch
        {
            ApiProblemException p => (p.StatusCode, p.ErrorCode, p.Message),
            // A request that passed its tenant check just before the tenant's deletion was accepted.
            Webhooks.Abstractions.Tenants.TenantDeletedException => (StatusCodes.Status404NotFound, "TenantNotFound", "The tenant does not exist."),
            BadHttpRequestException { InnerException: JsonException json } b =>
                (b.StatusCode, "InvalidJson", $"The body is not valid JSON of the expected shape (at {json.Path ?? "$"}, line {json.LineNumber + 1})."),
            BadHttpRequestException b => (b.StatusCode, b.StatusCode == StatusCodes.Status400BadRequest ? "BadRequest" : "RequestRejected", b.Message),
            // Body binding throws these, not a bad-request exception, for a charset no encoding answers to (or UTF-7's, disabled).
            InvalidOperationException or NotSupportedException when HasUnknownCharset(httpContext.Request) =>
                (StatusCodes.Status415UnsupportedMediaType, "UnsupportedMediaType", "The Content-Type names a charset that is not a known encoding; send JSON as UTF-8."),
            _ when TransientFailures.Classify(exception) is { } transient => (StatusCodes.Status503ServiceUnavailable, transient, transient == TransientFailures.StorageUnavailable
                ? "The database is unavailable; nothing was changed. Retry after the time given in Retry-After."
                : "The service is temporarily unavailable; nothing was changed. Retry after the time given in Retry-After."),
            _ => (StatusCodes.Status500InternalServerError, "InternalError", "An unexpected error occurred."),
        };

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            // An outage fails every request alike: one line each, without the stack, keeps the log readable.
            LogUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path, errorCode, exception.GetType().Name, exception.GetBaseException().GetType().Name);
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
        }
        else if (status >= 500)
        {
            LogFailure(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Detail = detail, Extensions = { ["errorCode"] = errorCode } },
        });
    }

    private async ValueTask<bool> WriteForHostAsync(HttpContext httpContext, Exception exception, int status)
    {
        httpContext.Response.StatusCode = status;
        await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, Exception = exception, ProblemDetails = { Status = status } });
        return true; // the status stands even when no writer of the host's accepts the request
    }

    private static bool HasUnknownCharset(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || type.Charset.Value is not { } charset)
        {
            return false;
        }

        try
        {
            Encoding.GetEncoding(charset);
            return false;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Method} {Path} answered 503 {ErrorCode}: {ExceptionType} ({Cause})")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, string errorCode, string exceptionType, string cause);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {Method} {Path} failed")]
    private static partial void LogFailure(ILogger logger, Exception exception, string method, string path);
}
