using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Webhooks.Client.Credentials;
using Webhooks.Client.Errors;
using Webhooks.Client.Generated;
using Webhooks.Client.Retries;

namespace Webhooks.Client;

/// <summary>
/// Creates the generated <see cref="WebhooksApiClient"/> with the hand-written behaviour around it: the API key and
/// tenant header on every request, retries of 429 and 503 after their <c>Retry-After</c>, and every error response
/// thrown as a <see cref="WebhooksApiException"/>.
/// </summary>
public static class WebhooksClientFactory
{
    /// <summary>A client with an HTTP connection pool of its own, kept for the client's life; create one and reuse it.</summary>
    /// <param name="options">Where the API is and which key to use.</param>
    /// <param name="primaryHandler">The handler that sends the requests; a new <see cref="SocketsHttpHandler"/> when null.</param>
    public static WebhooksApiClient Create(WebhooksClientOptions options, HttpMessageHandler? primaryHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var http = new HttpClient(CreateHandler(options, primaryHandler ?? new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        }))
        {
            BaseAddress = options.BaseAddress,
        };
        return Create(http);
    }

    /// <summary>
    /// A client over an <see cref="HttpClient"/> the caller owns, whose handlers come from
    /// <see cref="CreateHandler"/> and whose <see cref="HttpClient.BaseAddress"/> is the server's root.
    /// </summary>
    public static WebhooksApiClient Create(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        var baseAddress = httpClient.BaseAddress ?? throw new ArgumentException("The HttpClient has no BaseAddress.", nameof(httpClient));
        var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: httpClient)
        {
            BaseUrl = baseAddress.AbsoluteUri.TrimEnd('/'),
        };
        return new WebhooksApiClient(adapter);
    }

    /// <summary>
    /// The handlers the client needs, in order (problems outermost, then retries, then credentials), over
    /// <paramref name="primaryHandler"/>: for an <see cref="HttpClient"/> the caller builds and owns.
    /// </summary>
    public static DelegatingHandler CreateHandler(WebhooksClientOptions options, HttpMessageHandler? primaryHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ApiKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1);
        return new ProblemHandler(options.TimeProvider)
        {
            InnerHandler = new RetryAfterHandler(options)
            {
                InnerHandler = new CredentialsHandler(options.ApiKey, options.TenantId)
                {
                    InnerHandler = primaryHandler ?? new SocketsHttpHandler(),
                },
            },
        };
    }
}
