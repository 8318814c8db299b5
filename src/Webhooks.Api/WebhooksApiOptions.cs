using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Webhooks.Api.Auth;

namespace Webhooks.Api;

/// <summary>
/// How a host mounts the API: who the callers are, and where a browser is asked for the platform key. Set in code,
/// through <c>AddWebhooksApi(environment, configure)</c>.
/// </summary>
public sealed class WebhooksApiOptions
{
    /// <summary>The resolver registered by <see cref="UseTenantResolver{T}"/>; null while the API authenticates its own API keys.</summary>
    public Type? TenantResolver { get; private set; }

    /// <summary>
    /// The authorization policy of the tenant endpoints (listeners, deliveries, events, credentials) when a tenant
    /// resolver is used; not read otherwise.
    /// </summary>
    /// <value>The default is <see cref="ApiClaims.HostUserPolicy"/>: any user the host's default authentication scheme authenticated.</value>
    public string TenantPolicy { get; set; } = ApiClaims.HostUserPolicy;

    /// <summary>
    /// The authorization policy of the platform-only endpoints: tenants and their API keys. A host that lets its own
    /// operators manage tenants names a policy of its own here; it must admit only them, for these endpoints act on any tenant.
    /// </summary>
    /// <value>The default is <see cref="ApiClaims.PlatformPolicy"/>: the platform key (<c>Webhooks:Auth:PlatformKey</c>), with or without a tenant resolver.</value>
    public string PlatformPolicy { get; set; } = ApiClaims.PlatformPolicy;

    /// <summary>
    /// Paths of the host's (each with everything under it) whose 401 from the API key scheme offers <c>Basic</c> besides
    /// <c>Bearer</c>, so a browser asks for credentials: pages the host guards with <see cref="ApiClaims.PlatformPolicy"/>,
    /// such as an operator dashboard, which the platform key opens as a Basic password.
    /// </summary>
    /// <value>The default is none: every 401 offers <c>Bearer</c> only.</value>
    public IList<PathString> BasicChallengePaths { get; } = [];

    /// <summary>
    /// Takes the tenant of each request on the tenant endpoints from <typeparamref name="T"/> (a singleton) and the
    /// host's authenticated user, instead of from a tenant API key or the platform key's <c>N-TenantId</c>.
    /// </summary>
    public WebhooksApiOptions UseTenantResolver<T>() where T : class, ITenantResolver
    {
        TenantResolver = typeof(T);
        return this;
    }

    /// <summary>The policies are named, and every Basic challenge path is a path.</summary>
    internal sealed class Validator : IValidateOptions<WebhooksApiOptions>
    {
        public ValidateOptionsResult Validate(string? name, WebhooksApiOptions options)
        {
            var failures = new List<string>();
            if (string.IsNullOrWhiteSpace(options.TenantPolicy))
            {
                failures.Add($"{nameof(WebhooksApiOptions)}.{nameof(TenantPolicy)} must name an authorization policy.");
            }

            if (string.IsNullOrWhiteSpace(options.PlatformPolicy))
            {
                failures.Add($"{nameof(WebhooksApiOptions)}.{nameof(PlatformPolicy)} must name an authorization policy.");
            }

            if (options.BasicChallengePaths.Any(path => !path.HasValue))
            {
                failures.Add($"{nameof(WebhooksApiOptions)}.{nameof(BasicChallengePaths)} may not hold an empty path.");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
