using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Webhooks.Api.Auth;

namespace LicensingPlatform.Customers;

/// <summary>
/// The platform's own sign-in: a cookie, <c>PlatformSession</c>, issued by <c>POST /session</c>, carrying the customer's
/// id and webhooks tenant. The cookie is protected by Data Protection, so it outlives a restart only because the key
/// ring does. API callers get 401 and 403 instead of redirects to a login page.
/// </summary>
public static class PlatformSession
{
    /// <summary>The authentication scheme, the platform's default.</summary>
    public const string Scheme = "PlatformSession";

    /// <summary>The claim with the customer's webhooks tenant (<c>t_…</c>).</summary>
    public const string TenantClaim = "webhooks_tenant";

    /// <summary>The policy of the dispatcher's tenant and key management endpoints: a role no customer has.</summary>
    public const string OperatorsPolicy = "licensing-operators";

    /// <summary>Adds the cookie scheme as the default, and the operators' policy.</summary>
    public static IServiceCollection AddPlatformSession(this IServiceCollection services)
    {
        services.AddAuthentication(Scheme).AddCookie(Scheme, cookie =>
        {
            cookie.Cookie.Name = "platform_session";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.SlidingExpiration = true;
            cookie.Events.OnRedirectToLogin = context => Refuse(context, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => Refuse(context, StatusCodes.Status403Forbidden);
        });
        services.AddAuthorizationBuilder().AddPolicy(OperatorsPolicy, p => p.RequireRole("licensing-operator"));
        return services;
    }

    /// <summary>Signs <paramref name="customerId"/> in for the rest of the session.</summary>
    public static Task SignInAsync(HttpContext context, string customerId, string tenantId) =>
        context.SignInAsync(Scheme, new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, customerId), new Claim(TenantClaim, tenantId)], Scheme)));

    /// <summary>The signed-in customer's id.</summary>
    public static string CustomerId(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier)!;

    /// <summary>The signed-in customer's webhooks tenant.</summary>
    public static string TenantId(this ClaimsPrincipal user) => user.FindFirstValue(TenantClaim)!;

    private static Task Refuse(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}

/// <summary>The dispatcher's management API acts for the tenant of the signed-in customer.</summary>
public sealed class SessionTenantResolver : ITenantResolver
{
    /// <inheritdoc />
    public string? ResolveTenantId(HttpContext context) => context.User.FindFirst(PlatformSession.TenantClaim)?.Value;
}
