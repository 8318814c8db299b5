using System.Collections.Concurrent;
using System.Net;

namespace Webhooks.Api.Tests.Infrastructure;

/// <summary>The status of every response a test client received.</summary>
public sealed class ResponseLog
{
    private readonly ConcurrentQueue<string> _serverErrors = new();
    private int _count;

    public int Count => _count;

    public IReadOnlyCollection<string> ServerErrors => _serverErrors;

    internal void Record(HttpRequestMessage request, HttpStatusCode status)
    {
        Interlocked.Increment(ref _count);
        if ((int)status >= 500)
        {
            _serverErrors.Enqueue($"{request.Method} {request.RequestUri?.PathAndQuery} -> {(int)status}");
        }
    }
}

/// <summary>Records the status of each response on its way back to the test.</summary>
internal sealed class ResponseRecorder(ResponseLog log, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        log.Record(request, response.StatusCode);
        return response;
    }
}
