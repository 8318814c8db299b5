using Microsoft.AspNetCore.Http;

namespace Webhooks.Api.Auth;

/// <summary>
/// Takes the tenant of a request from the host's own authenticated user, for a host that mounts the API behind its
/// own authentication instead of this project's API keys (<see cref="WebhooksApiOptions.UseTenantResolver{T}"/>).
/// </summary>
public interface ITenantResolver
{
    /// <summary>
    /// The id (<c>t_…</c>) of the tenant that <paramref name="context"/>'s user, already authenticated by the host,
    /// acts for; null when it acts for none, which is answered with 403. Called for every request, possibly more than
    /// once (rate limiting and binding both ask), so it should read what the user already carries, such as a claim.
    /// </summary>
    string? ResolveTenantId(HttpContext context);
}
