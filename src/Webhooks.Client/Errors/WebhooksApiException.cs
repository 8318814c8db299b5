using Webhooks.Client.Generated.Models;

namespace Webhooks.Client.Errors;

/// <summary>
/// What every operation throws when the server answers with an error status: the status, the stable
/// <see cref="ErrorCode"/> to branch on, and one entry per invalid field for a 422.
/// </summary>
public sealed class WebhooksApiException : Exception
{
    internal WebhooksApiException(int status, Problem? problem, TimeSpan? retryAfter)
        : base(MessageOf(status, problem))
    {
        Status = status;
        Problem = problem;
        RetryAfter = retryAfter;
        ValidationErrors = problem?.ValidationErrors?
            .Select(e => new ApiValidationError(e.PropertyName ?? "", e.ErrorMessage ?? ""))
            .ToArray() ?? [];
    }

    /// <summary>The HTTP status of the response (400, 401, 403, 404, 409, 413, 415, 422, 429, 503, …).</summary>
    public int Status { get; }

    /// <summary>The problem's stable code (<c>NotFound</c>, <c>ValidationFailed</c>, <c>Conflict</c>, …); null when the body was no problem.</summary>
    public string? ErrorCode => Problem?.ErrorCode;

    /// <summary>One entry per invalid field; empty unless the request failed validation.</summary>
    public IReadOnlyList<ApiValidationError> ValidationErrors { get; }

    /// <summary>What went wrong with this request, for a person to read.</summary>
    public string? Detail => Problem?.Detail;

    /// <summary>The request's trace id, to find it in the server's logs.</summary>
    public string? TraceId => Problem?.TraceId;

    /// <summary>How long the server asked the client to wait (429 and 503), when it said so.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The whole problem body as the document describes it; null when the response carried none.</summary>
    public Problem? Problem { get; }

    private static string MessageOf(int status, Problem? problem) =>
        problem is null
            ? $"The server answered {status} without a problem body."
            : $"The server answered {status} {problem.ErrorCode}: {problem.Detail}";
}
