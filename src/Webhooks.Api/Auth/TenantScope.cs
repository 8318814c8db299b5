using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Webhooks.Api.Errors;
using Webhooks.Tenants;

namespace Webhooks.Api.Auth;

/// <summary>
/// The tenant a request acts on: the tenant of its key, or, for the platform key, the tenant named by the
/// <c>N-TenantId</c> header. Bound as an endpoint parameter, so every tenant-scoped handler gets it the same way.
/// </summary>
public sealed record TenantScope(string TenantId)
{
    public const string HeaderName = "N-TenantId";

    public static async ValueTask<TenantScope?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var user = context.User;
        var headers = context.Request.Headers[HeaderName];
        if (headers.Count > 1)
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "BadRequest", $"Send at most one {HeaderName} header.");
        }

        var requested = headers.Count == 1 ? headers[0] : null;
        if (user.FindFirst(ApiClaims.TenantId)?.Value is { } keyTenant)
        {
            if (requested is not null && requested != keyTenant)
            {
                throw new ApiProblemException(StatusCodes.Status403Forbidden, "Forbidden", $"The {HeaderName} header does not match the API key's tenant.");
            }

            return new TenantScope(keyTenant);
        }

        if (user.HasClaim(c => c.Type == ApiClaims.Platform))
        {
            if (string.IsNullOrEmpty(requested))
            {
                throw new ApiProblemException(StatusCodes.Status400BadRequest, "TenantRequired", $"With the platform key, name the tenant in the {HeaderName} header.");
            }

            var grains = context.RequestServices.GetRequiredService<IGrainFactory>();
            if (!ResourceIds.IsTenantId(requested) || await grains.GetGrain<ITenantGrain>(requested).GetAsync() is not { Status: TenantStatus.Active })
            {
                throw new ApiProblemException(StatusCodes.Status404NotFound, "TenantNotFound", $"The tenant named by {HeaderName} does not exist.");
            }

            return new TenantScope(requested);
        }

        throw new ApiProblemException(StatusCodes.Status401Unauthorized, "Unauthorized", "Send a valid API key as 'Authorization: Bearer <key>'.");
    }
}
