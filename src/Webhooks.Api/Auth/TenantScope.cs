using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Abstractions;
using Webhooks.Abstractions.Tenants;
using Webhooks.Api.Errors;

namespace Webhooks.Api.Auth;

/// <summary>
/// The tenant a request acts on: the tenant of its key, or, for the platform key, the tenant named by the
/// <c>N-TenantId</c> header; with an <see cref="ITenantResolver"/>, the tenant it resolves for the host's user.
/// Bound as an endpoint parameter, so every tenant-scoped handler gets it the same way.
/// </summary>
public sealed record TenantScope(string TenantId)
{
    public const string HeaderName = "N-TenantId";

    public static async ValueTask<TenantScope?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        if (context.RequestServices.GetService<ITenantResolver>() is { } resolver)
        {
            var resolved = resolver.ResolveTenantId(context)
                ?? throw new ApiProblemException(StatusCodes.Status403Forbidden, "Forbidden", "The signed-in user acts for no tenant.");
            return await ActiveTenantAsync(context, resolved, "The signed-in user's tenant does not exist.");
        }

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

            return await ActiveTenantAsync(context, requested, $"The tenant named by {HeaderName} does not exist.");
        }

        throw new ApiProblemException(StatusCodes.Status401Unauthorized, "Unauthorized", "Send a valid API key as 'Authorization: Bearer <key>'.");
    }

    // A tenant named by the caller rather than proven by its key: it must exist and not be being deleted.
    private static async ValueTask<TenantScope> ActiveTenantAsync(HttpContext context, string tenantId, string notFound)
    {
        var grains = context.RequestServices.GetRequiredService<IGrainFactory>();
        if (!ResourceIds.IsTenantId(tenantId) || await grains.GetGrain<ITenantGrain>(tenantId).GetAsync() is not { Status: TenantStatus.Active })
        {
            throw new ApiProblemException(StatusCodes.Status404NotFound, "TenantNotFound", notFound);
        }

        return new TenantScope(tenantId);
    }
}
