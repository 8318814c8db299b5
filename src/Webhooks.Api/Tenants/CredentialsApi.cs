using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Orleans;
using Webhooks.Api.Auth;
using Webhooks.Api.Deliveries;
using Webhooks.Api.Errors;
using Webhooks.Api.Limits;
using Webhooks.Tenants;

namespace Webhooks.Api.Tenants;

/// <summary><c>GET api/v1/account/credentials</c>: what a listener needs to verify <c>N-Signature</c>.</summary>
public static class CredentialsApi
{
    public static RouteHandlerBuilder MapCredentials(this IEndpointRouteBuilder routes) =>
        routes.MapGet("api/v1/account/credentials", GetAsync)
            .RequireTenantCaller(routes)
            .WithTags("Account")
            .WithName("GetCredentials")
            .WithSummary("The tenant's RSA public key (modulus base64url, exponent AQAB) for verifying N-Signature.");

    private static async Task<Results<Ok<CredentialsModel>, ProblemHttpResult>> GetAsync(TenantScope tenant, IGrainFactory grains)
    {
        var credentials = await grains.GetGrain<ITenantGrain>(tenant.TenantId).GetCredentialsAsync();
        return credentials is null
            ? ApiProblem.NotFound("No such tenant.")
            : TypedResults.Ok(new CredentialsModel(credentials.PublicKeyModulus, credentials.PublicKeyExponent));
    }
}
