using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Polly;

namespace Webhooks.Grains.Delivery.Http;

/// <summary>
/// One delivery attempt over HTTP: POSTs the exact body bytes through the <c>webhooks-delivery</c> client,
/// inside the listener's pipeline (circuit breaker, timeout), reads at most
/// <see cref="DeliveryOptions.MaxResponseBodyBytes"/> of the answer and turns whatever happened into an
/// <see cref="AttemptOutcome"/>.
/// </summary>
internal sealed class HttpDeliverySender(
    IHttpClientFactory clients,
    DeliveryPipelines pipelines,
    IOptions<DeliveryOptions> options,
    TimeProvider time) : IDeliverySender
{
    // One client for every attempt: its handler lives as long as the process (SetHandlerLifetime), so a client per
    // attempt would only add its own allocations (and a cancellation source) to each delivery.
    private readonly HttpClient _client = clients.CreateClient(DeliverySenderServiceCollectionExtensions.HttpClientName);

    public async Task<AttemptOutcome> SendAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = time.GetTimestamp();
        try
        {
            var context = ResilienceContextPool.Shared.Get(cancellationToken);
            try
            {
                return await pipelines.For(request.ListenerId).ExecuteAsync(
                    static (ctx, state) => state.Sender.AttemptAsync(state.Request, state.Started, ctx.CancellationToken, state.Caller),
                    context,
                    (Sender: this, Request: request, Started: started, Caller: cancellationToken));
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            var error = AttemptErrors.Describe(ex, options.Value.Timeout, pipelines.FailuresToOpen);
            return new AttemptOutcome(false, null, time.GetElapsedTime(started), error, null, null);
        }
    }

    public bool IsHeld(string listenerId) => pipelines.IsOpen(listenerId);

    private async ValueTask<AttemptOutcome> AttemptAsync(DeliveryRequest request, long started, CancellationToken attemptToken, CancellationToken callerToken)
    {
        var o = options.Value;
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Target)
        {
            Content = new ReadOnlyMemoryContent(request.Body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        message.Headers.TryAddWithoutValidation("User-Agent", o.UserAgent);
        foreach (var (name, value) in request.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content.Headers.Remove(name);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, attemptToken);
        var status = (int)response.StatusCode;
        var (excerpt, readError) = await ReadExcerptAsync(response.Content, o.MaxResponseBodyBytes, attemptToken, callerToken);
        var error = status is >= 300 and < 400
            ? $"redirect to {response.Headers.Location?.OriginalString ?? "(no Location)"} not followed"
            : null;
        error = readError is null ? error : error is null ? readError : $"{error}; {readError}";
        return new AttemptOutcome(status is >= 200 and < 300, status, time.GetElapsedTime(started), error, excerpt, RetryAfter(response));
    }

    /// <summary>
    /// Reads up to <paramref name="limit"/> bytes and stops: the rest of the body is never read (disposing the
    /// response closes the connection). A body that fails or times out part-way keeps what arrived; the status
    /// has already said whether the listener took the event.
    /// </summary>
    private async Task<(string? Excerpt, string? Error)> ReadExcerptAsync(HttpContent content, int limit, CancellationToken attemptToken, CancellationToken callerToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(limit, 1));
        var read = 0;
        string? error = null;
        try
        {
            await using var stream = await content.ReadAsStreamAsync(attemptToken);
            for (int n; read < limit && (n = await stream.ReadAsync(buffer.AsMemory(read, limit - read), attemptToken)) > 0;)
            {
                read += n;
            }
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
        {
            error = $"timed out after {AttemptErrors.Format(options.Value.Timeout)} reading the response body";
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            error = "the connection failed while reading the response body";
        }

        try
        {
            return (read == 0 ? null : Decode(buffer.AsSpan(0, read)), error);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Cut at a byte limit, the last character may be incomplete: drop it rather than end on a replacement character.
    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        var count = decoder.GetChars(bytes, chars, flush: false);
        return new string(chars, 0, count);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        // A gateway in front of the listener (502, 504) may know when it will be back as well as the listener itself.
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout)
            || response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        var wait = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - time.GetUtcNow() : null);
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }
}
