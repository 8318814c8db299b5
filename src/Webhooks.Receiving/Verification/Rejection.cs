using Microsoft.AspNetCore.Http;

namespace Webhooks.Receiving.Verification;

/// <summary>A refused delivery: the status it is answered with, the reason, and a sentence saying what was wrong.</summary>
internal sealed record Rejection(RejectionReason Reason, string Detail, int StatusCode = StatusCodes.Status401Unauthorized)
{
    /// <summary>The problem body (RFC 9457) with the reason's name as <c>reason</c>.</summary>
    public IResult ToResult() => Results.Problem(
        detail: Detail,
        statusCode: StatusCode,
        title: StatusCode == StatusCodes.Status401Unauthorized ? "The delivery was not verified." : "The delivery was refused.",
        extensions: new Dictionary<string, object?> { ["reason"] = Reason.ToString() });
}
