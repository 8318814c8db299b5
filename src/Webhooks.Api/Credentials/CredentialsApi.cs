using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Webhooks.Abstractions;
using Webhooks.Abstractions.Tenants;
using Webhooks.Api.Auth;
using Webhooks.Api.Errors;
using Webhooks.Api.Validation;

namespace Webhooks.Api.Credentials;

/// <summary>
/// What a listener needs to verify <c>N-Signature</c>: <c>GET api/v1/account/credentials</c> for the tenant's caller,
/// and the tenant's key set at <c>/.well-known/webhooks/{tenantId}/jwks.json</c> for anyone, without a key; and the
/// rotation of that key, <c>POST api/v1/account/credentials/rotate</c>.
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

        routes.MapPost("api/v1/account/credentials/rotate", RotateAsync)
            .RequireTenantCaller(routes)
            .WithRequestSizeLimit(routes.Limits().MaxManagementBodyBytes)
            .ProducesJsonBodyProblems()
            .WithTags("Account")
            .WithName("RotateCredentials")
            .WithSummary("Makes the tenant's next N-Signature key and publishes it in the key set at once; deliveries switch to it after "
                + "the activation delay (at once with {\"activateNow\": true}), and the key it replaces stays in the key set for the "
                + "retirement delay after the switch. A key still waiting for its activation is replaced.");

        return routes.MapGet("api/v1/account/credentials", GetAsync)
            .RequireTenantCaller(routes)
            .WithTags("Account")
            .WithName("GetCredentials")
            .WithSummary("The RSA public key signing deliveries now (modulus base64url, exponent AQAB) for verifying N-Signature, and its key id.");
    }

    private static async Task<Results<Ok<KeyRotationModel>, ProblemHttpResult>> RotateAsync(
        RotateCredentialsRequest? body, TenantScope tenant, IGrainFactory grains)
    {
        var rotated = await grains.GetGrain<ITenantGrain>(tenant.TenantId).RotateSigningKeyAsync(body?.ActivateNow ?? false);
        return rotated is null ? ApiProblem.NotFound("No such tenant.") : TypedResults.Ok(KeyRotationModel.From(rotated));
    }

    private static async Task<Results<Ok<CredentialsModel>, ProblemHttpResult>> GetAsync(TenantScope tenant, IGrainFactory grains)
    {
        var credentials = await grains.GetGrain<ITenantGrain>(tenant.TenantId).GetCredentialsAsync();
        return credentials is null
            ? ApiProblem.NotFound("No such tenant.")
            : TypedResults.Ok(new CredentialsModel(
                credentials.PublicKeyModulus, credentials.PublicKeyExponent, JwkThumbprint.OfRsa(credentials.PublicKeyModulus, credentials.PublicKeyExponent)));
    }

    // Public keys only, so no key is asked for; the ETag is a digest of the key ids, which changes with the set.
    private static async Task<Results<Ok<KeySetModel>, StatusCodeHttpResult, ProblemHttpResult>> GetKeySetAsync(
        string tenantId, IGrainFactory grains, HttpContext context)
    {
        var set = ResourceIds.IsTenantId(tenantId) ? await grains.GetGrain<ITenantGrain>(tenantId).GetKeySetAsync() : null;
        if (set is null)
        {
            return ApiProblem.NotFound("No such tenant.");
        }

        var keys = set.Keys
            .Select(k => new JsonWebKeyModel("RSA", JwkThumbprint.OfRsa(k.PublicKeyModulus, k.PublicKeyExponent), "sig", "RS256", k.PublicKeyModulus, k.PublicKeyExponent))
            .ToArray();
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(',', keys.Select(k => k.Kid))));
        var etag = new EntityTagHeaderValue($"\"{Base64Url.EncodeToString(digest)}\"");
        var response = context.Response.GetTypedHeaders();
        response.CacheControl = new CacheControlHeaderValue { Public = true, MaxAge = TimeSpan.FromSeconds(KeySetMaxAgeSeconds) };
        response.ETag = etag;
        if (context.Request.GetTypedHeaders().IfNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Ok(new KeySetModel(keys));
    }
}
