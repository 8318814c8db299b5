using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Abstractions.Tenants;

namespace Webhooks.Api.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c>: the platform key, or a tenant key checked against the
/// hash its tenant grain holds. Challenges and refusals are answered with problem details.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<AuthOptions> auth,
    WebhooksApiOptions api,
    IGrainFactory grains,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    private const string BearerPrefix = "Bearer ";
    private const string BasicPrefix = "Basic ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var headers = Request.Headers.Authorization;
        if (headers.Count == 0)
        {
            return AuthenticateResult.NoResult();
        }

        var header = headers.Count == 1 ? headers[0] : null;
        if (header is not null && header.StartsWith(BasicPrefix, StringComparison.OrdinalIgnoreCase))
        {
            // Browsers can only send Basic credentials; the platform key as the password opens the operator pages.
            return BasicPassword(header[BasicPrefix.Length..]) is { } password && IsPlatformKey(password)
                ? Success(new Claim(ApiClaims.Platform, "true"))
                : AuthenticateResult.Fail("Basic credentials are accepted only with the platform key as the password.");
        }

        if (header is null || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("Expected exactly one 'Authorization: Bearer <key>' header.");
        }

        var token = header[BearerPrefix.Length..].Trim();
        if (IsPlatformKey(token))
        {
            return Success(new Claim(ApiClaims.Platform, "true"));
        }

        // Every request asks the tenant grain, which holds the hashes in memory: nothing here caches a verdict, so a
        // revoked key is refused from the next request on.
        if (ApiKey.TryParse(token, out var key) && await grains.GetGrain<ITenantGrain>(key.TenantId).VerifyKeyAsync(key))
        {
            return Success(new Claim(ApiClaims.TenantId, key.TenantId), new Claim(ApiClaims.KeyId, key.Prefix));
        }

        return AuthenticateResult.Fail("The API key is not valid.");
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // A browser prompts for credentials only when offered Basic: on the host's pages that asked for it (an operator dashboard).
        Response.Headers.WWWAuthenticate = api.BasicChallengePaths.Any(path => Request.Path.StartsWithSegments(path))
            ? new Microsoft.Extensions.Primitives.StringValues(["Bearer", "Basic realm=\"Webhooks.Orleans operators\""])
            : "Bearer";
        return WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized", "Send a valid API key as 'Authorization: Bearer <key>'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "This key may not perform this operation.");

    private bool IsPlatformKey(string token)
    {
        var platformKey = auth.Value.PlatformKey;
        return !string.IsNullOrEmpty(platformKey)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(platformKey));
    }

    private static string? BasicPassword(string encoded)
    {
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded.Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : decoded[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private AuthenticateResult Success(params Claim[] claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name)), Scheme.Name));

    private async Task WriteProblemAsync(int status, string errorCode, string detail)
    {
        Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Detail = detail, Extensions = { ["errorCode"] = errorCode } },
        });
    }
}
