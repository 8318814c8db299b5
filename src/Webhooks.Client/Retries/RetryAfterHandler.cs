using System.Net;

namespace Webhooks.Client.Retries;

/// <summary>
/// Sends a request again when the server answers 429 (rate limited) or 503 (storage briefly unavailable), after the
/// wait its <c>Retry-After</c> asks for, a bounded number of times. Every other answer, and the last one, goes back
/// to the caller as it is.
/// </summary>
/// <remarks>
/// The server refuses a rate-limited or unavailable request before it changes anything, so sending it again is safe
/// for every operation, a publish included (and a publish with an <c>eventId</c> is idempotent anyway).
/// </remarks>
internal sealed class RetryAfterHandler(WebhooksClientOptions options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null)
        {
            // A retry sends the body again: buffered, it can be read more than once.
            await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        for (var attempt = 1; ; attempt++)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (attempt >= options.MaxAttempts || !IsRetryable(response.StatusCode))
            {
                return response;
            }

            var delay = RetryAfter.Of(response, options.TimeProvider) ?? options.DefaultRetryDelay * Math.Pow(2, attempt - 1);
            if (delay > options.MaxRetryDelay)
            {
                return response;
            }

            response.Dispose();
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool IsRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;
}
