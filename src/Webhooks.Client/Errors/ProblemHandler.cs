using Microsoft.Kiota.Serialization.Json;
using Webhooks.Client.Generated.Models;
using Webhooks.Client.Retries;

namespace Webhooks.Client.Errors;

/// <summary>
/// Turns every error response into one <see cref="WebhooksApiException"/>, its body read with the generated problem
/// model: a caller catches one type for every operation and status, documented or not.
/// </summary>
internal sealed class ProblemHandler(TimeProvider time) : DelegatingHandler
{
    private static readonly JsonParseNodeFactory Parser = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var problem = await ReadProblemAsync(response, cancellationToken).ConfigureAwait(false);
            throw new WebhooksApiException((int)response.StatusCode, problem, RetryAfter.Of(response, time));
        }
    }

    private static async Task<Problem?> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is not ("application/problem+json" or "application/json"))
        {
            return null;
        }

        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var root = await Parser.GetRootParseNodeAsync(Parser.ValidContentType, body, cancellationToken).ConfigureAwait(false);
            return root.GetObjectValue(Problem.CreateFromDiscriminatorValue);
        }
        catch (System.Text.Json.JsonException)
        {
            // A body that is no JSON (a proxy's error page, say) still yields the exception, with its status.
            return null;
        }
    }
}
