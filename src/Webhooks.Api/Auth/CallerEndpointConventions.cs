using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Api.Limits;

namespace Webhooks.Api.Auth;

/// <summary>What every API endpoint group carries: who may call it (per <see cref="WebhooksApiOptions"/>) and the caller's rate limit.</summary>
internal static class CallerEndpointConventions
{
    /// <summary>A tenant key or the platform key acting for a tenant; with a tenant resolver, the host's authenticated user.</summary>
    /// <remarks>
    /// Resolving the tenant can answer 400 (the platform key naming no tenant, or two), 403 (a tenant key naming another
    /// tenant) and 404 (a tenant that does not exist), whatever the endpoint.
    /// </remarks>
    public static TBuilder RequireTenantCaller<TBuilder>(this TBuilder builder, IEndpointRouteBuilder routes) where TBuilder : IEndpointConventionBuilder
    {
        var options = routes.ServiceProvider.GetRequiredService<WebhooksApiOptions>();
        return builder.RequireCaller(options.TenantResolver is null ? ApiClaims.AnyKeyPolicy : options.TenantPolicy)
            .WithMetadata(Problem(StatusCodes.Status400BadRequest), Problem(StatusCodes.Status404NotFound));
    }

    /// <summary>The platform: its key, or whoever the host's <see cref="WebhooksApiOptions.PlatformPolicy"/> admits.</summary>
    public static TBuilder RequirePlatformCaller<TBuilder>(this TBuilder builder, IEndpointRouteBuilder routes) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireCaller(routes.ServiceProvider.GetRequiredService<WebhooksApiOptions>().PlatformPolicy);

    private static TBuilder RequireCaller<TBuilder>(this TBuilder builder, string authorizationPolicy) where TBuilder : IEndpointConventionBuilder =>
        builder
            .RequireAuthorization(authorizationPolicy)
            .RequireRateLimiting(ApiKeyRateLimitPolicy.Name)
            .WithMetadata(WebhooksApiEndpoint.Instance)
            // Every endpoint can refuse the caller (401, 403), limit it (429) and find its storage away (503).
            .WithMetadata(
                Problem(StatusCodes.Status401Unauthorized),
                Problem(StatusCodes.Status403Forbidden),
                Problem(StatusCodes.Status429TooManyRequests),
                Problem(StatusCodes.Status503ServiceUnavailable));

    private static ProducesResponseTypeMetadata Problem(int status) =>
        new(status, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]);
}
