using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Webhooks.Api.Auth;

namespace Webhooks.Api.Limits;

/// <summary>What every API endpoint group carries: a key (tenant or platform, per the policy) and that key's rate limit.</summary>
internal static class ApiKeyEndpointConventions
{
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder, string authorizationPolicy) where TBuilder : IEndpointConventionBuilder =>
        builder
            .RequireAuthorization(authorizationPolicy)
            .RequireRateLimiting(ApiKeyRateLimitPolicy.Name)
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]))
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status429TooManyRequests, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]));
}
