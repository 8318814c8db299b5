using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Webhooks.Abstractions;
using Webhooks.Abstractions.Tenants;
using Webhooks.Api.Auth;
using Webhooks.Api.Errors;

namespace Webhooks.Api.Credentials;

/// <summary>
/// What a listener needs to verify <c>N-Signature</c>: <c>GET api/v1/account/credentials</c> for the tenant's caller,
/// and the tenant's key set at <c>/.well-known/webhooks/{tenantId}/jwks.json</c> for anyone, without a key.
/// </summary>
public static class CredentialsApi
{
    /// <summary>How long a listener may keep the key set before asking again (it revalidates with the ETag).</summary>
    public const int KeySetMaxAgeSeconds = 300;

    public static RouteHandlerBuilder MapCredentials(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(".well-known/webhooks/{tenantId}/jwks.json", GetKeySetAsync)
            .AllowAnonymous()
            .WithTags("Account")
            .WithName("GetSigningKeySet")
            .WithSummary("The tenant's N-Signature public keys as a JSON Web Key Set, without authentication; deliveries name the key in N-Signature-Key-Id.")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return routes.MapGet("api/v1/account/credentials", GetAsync)
            .RequireTenantCaller(routes)
            .WithTags("Account")
            .WithName("GetCredentials")
            .WithSummary("The tenant's RSA public key (modulus base64url, exponent AQAB) for verifying N-Signature, and its key id.");
    }

    private static async Task<Results<Ok<CredentialsModel>, ProblemHttpResult>> GetAsync(TenantScope tenant, IGrainFactory grains)
    {
        var credentials = await grains.GetGrain<ITenantGrain>(tenant.TenantId).GetCredentialsAsync();
        return credentials is null
            ? ApiProblem.NotFound("No such tenant.")
            : TypedResults.Ok(new CredentialsModel(
                credentials.PublicKeyModulus, credentials.PublicKeyExponent, JwkThumbprint.OfRsa(credentials.PublicKeyModulus, credentials.PublicKeyExponent)));
    }

    // Public keys only, so no key is asked for; the ETag is the key id, which changes with the key.
    private static async Task<Results<Ok<KeySetModel>, StatusCodeHttpResult, ProblemHttpResult>> GetKeySetAsync(
        string tenantId, IGrainFactory grains, HttpContext context)
    {
        var credentials = ResourceIds.IsTenantId(tenantId) ? await grains.GetGrain<ITenantGrain>(tenantId).GetCredentialsAsync() : null;
        if (credentials is null)
        {
            return ApiProblem.NotFound("No such tenant.");
        }

        var kid = JwkThumbprint.OfRsa(credentials.PublicKeyModulus, credentials.PublicKeyExponent);
        var etag = new EntityTagHeaderValue($"\"{kid}\"");
        var response = context.Response.GetTypedHeaders();
        response.CacheControl = new CacheControlHeaderValue { Public = true, MaxAge = TimeSpan.FromSeconds(KeySetMaxAgeSeconds) };
        response.ETag = etag;
        if (context.Request.GetTypedHeaders().IfNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Ok(new KeySetModel(
            [new JsonWebKeyModel("RSA", kid, "sig", "RS256", credentials.PublicKeyModulus, credentials.PublicKeyExponent)]));
    }
}
