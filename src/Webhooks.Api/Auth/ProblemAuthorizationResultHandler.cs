using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Webhooks.Api.Auth;

/// <summary>
/// Gives the API's refused requests a problem body whoever refused them. The API key scheme writes its own; a host's
/// scheme (behind a tenant resolver or a platform policy of the host's) usually answers 401 or 403 with no body, and
/// the API promises a problem body for every error. It wraps the handler the host had, which still challenges and
/// forbids as the host's schemes do (their headers, a redirect of theirs); only an empty 401 or 403 of one of the API's
/// endpoints gets a body added, so the host's own endpoints are untouched.
/// </summary>
internal sealed class ProblemAuthorizationResultHandler(IAuthorizationMiddlewareResultHandler inner, IProblemDetailsService problems)
    : IAuthorizationMiddlewareResultHandler
{
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        await inner.HandleAsync(next, context, policy, authorizeResult);
        if ((!authorizeResult.Challenged && !authorizeResult.Forbidden)
            || context.Response.HasStarted
            || context.GetEndpoint()?.Metadata.GetMetadata<WebhooksApiEndpoint>() is null)
        {
            return;
        }

        var (errorCode, detail) = context.Response.StatusCode switch
        {
            StatusCodes.Status401Unauthorized => ("Unauthorized", "Sign in: this request carries no valid credentials."),
            StatusCodes.Status403Forbidden => ("Forbidden", "The signed-in user may not perform this operation."),
            _ => (null, null),
        };
        if (errorCode is not null)
        {
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = context.Response.StatusCode, Detail = detail, Extensions = { ["errorCode"] = errorCode } },
            });
        }
    }
}
