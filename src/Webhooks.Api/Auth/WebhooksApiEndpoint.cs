using Microsoft.AspNetCore.Http;

namespace Webhooks.Api.Auth;

/// <summary>
/// Marks the API's endpoints, so what the API adds to the host's pipeline (problem bodies for refused requests)
/// touches only them; <see cref="WebhooksApiMount.Prefix"/> is where <c>MapWebhooksApi</c> mounted them, for the links they answer with.
/// </summary>
internal sealed class WebhooksApiEndpoint
{
    public static readonly WebhooksApiEndpoint Instance = new();

    private WebhooksApiEndpoint()
    {
    }

    /// <summary>
    /// The path of <paramref name="apiPath"/> (<c>/api/v1/…</c>) under the prefix the API was mounted at, for a
    /// Location header: the prefix is the route group's, so it is read from the matched endpoint's metadata.
    /// </summary>
    public static string Link(HttpContext context, string apiPath) =>
        (context.GetEndpoint()?.Metadata.GetMetadata<WebhooksApiMount>()?.Prefix ?? "") + apiPath;
}

/// <summary>The prefix <c>MapWebhooksApi(prefix)</c> mounted the API's endpoints under, without a trailing slash.</summary>
internal sealed record WebhooksApiMount(string Prefix);

/// <summary>
/// Where <c>MapWebhooksApi</c> mounted the API in this app, so what the API registers app-wide (its problem writer, its
/// exception handler) acts on the API's requests only and leaves the host's own to the host.
/// </summary>
internal sealed class WebhooksApiMounts
{
    private volatile string[] _prefixes = [];

    public void Add(string prefix)
    {
        lock (this)
        {
            _prefixes = [.. _prefixes, prefix];
        }
    }

    /// <summary>
    /// Whether <paramref name="context"/> is a request of the API: one of its endpoints, or, when no endpoint matched
    /// (a 404, a 405), a path under a mount. An API mounted at the root covers every request of the app, as in the
    /// project's own server.
    /// </summary>
    public bool Covers(HttpContext context)
    {
        if (context.GetEndpoint() is { } endpoint && endpoint.Metadata.GetMetadata<WebhooksApiEndpoint>() is not null)
        {
            return true;
        }

        foreach (var prefix in _prefixes)
        {
            if (prefix.Length == 0 || context.Request.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
