using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Api.Auth;

namespace Webhooks.Api.Tests.Embedding;

/// <summary>The host platform's own user store: which of its users belongs to which webhooks tenant, if any.</summary>
public sealed class HostUsers
{
    public const string TenantClaim = "platform_tenant";
    public const string OperatorRole = "webhooks-operator";

    private readonly ConcurrentDictionary<string, string?> _tenants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _operators = new(StringComparer.Ordinal);

    public void Add(string user, string? tenantId) => _tenants[user] = tenantId;

    /// <summary>A user of the platform's own staff, who acts for no tenant and may manage them all.</summary>
    public void AddOperator(string user)
    {
        _tenants[user] = null;
        _operators[user] = true;
    }

    public bool IsOperator(string user) => _operators.ContainsKey(user);

    public bool TryGet(string user, out string? tenantId) => _tenants.TryGetValue(user, out tenantId);
}

/// <summary>
/// The host's own authentication scheme (the default scheme of the host): the user named by <c>X-Host-User</c>,
/// when the host knows it, with the host's tenant claim. Its challenge is the framework's: a bare 401.
/// </summary>
internal sealed class HostUserAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, HostUsers users)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "HostSession";
    public const string Header = "X-Host-User";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers[Header] is not [{ } name])
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!users.TryGet(name, out var tenantId))
        {
            return Task.FromResult(AuthenticateResult.Fail("Unknown user."));
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, name) };
        if (tenantId is not null)
        {
            claims.Add(new Claim(HostUsers.TenantClaim, tenantId));
        }

        if (users.IsOperator(name))
        {
            claims.Add(new Claim(ClaimTypes.Role, HostUsers.OperatorRole));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}

/// <summary>The host's resolver: the tenant its authentication put in the user's claims.</summary>
internal sealed class ClaimTenantResolver : ITenantResolver
{
    public string? ResolveTenantId(HttpContext context) => context.User.FindFirst(HostUsers.TenantClaim)?.Value;
}
