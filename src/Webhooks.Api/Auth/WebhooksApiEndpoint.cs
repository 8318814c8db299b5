using Microsoft.AspNetCore.Http;

namespace Webhooks.Api.Auth;

/// <summary>
/// Marks the API's endpoints, so what the API adds to the host's pipeline (problem bodies for refused requests)
/// touches only them; <see cref="Prefix"/> is where <c>MapWebhooksApi</c> mounted them, for the links they answer with.
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
