using Microsoft.AspNetCore.Http.HttpResults;

namespace Webhooks.Api.Errors;

/// <summary>The 404s for a resource named in the route that is not there (or not the caller's), one wording each.</summary>
internal static class ResourceNotFound
{
    public static ProblemHttpResult Listener() => ApiProblem.NotFound("No webhook listener with this id.");

    public static ProblemHttpResult Tenant() => ApiProblem.NotFound("No tenant with this id.");
}
