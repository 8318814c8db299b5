using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>
/// A real webhook receiver: Kestrel on a free loopback port. Each <see cref="Endpoint"/> is a path of its own that
/// records every request (headers, exact body bytes, arrival time) and answers from a script.
/// </summary>
internal sealed class ScriptedListener : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ScriptedEndpoint> _endpoints = new(StringComparer.Ordinal);
    private WebApplication? _app;
    private Uri _base = null!;

    public static async Task<ScriptedListener> StartAsync()
    {
        var listener = new ScriptedListener();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(listener.HandleAsync);
        await app.StartAsync();
        listener._app = app;
        listener._base = new Uri(app.Urls.Single());
        return listener;
    }

    /// <summary>A new endpoint answering <paramref name="script"/> in turn, the last reply ever after (200 when empty).</summary>
    public ScriptedEndpoint Endpoint(params Reply[] script)
    {
        var path = "/hooks/" + Guid.NewGuid().ToString("N");
        var endpoint = new ScriptedEndpoint(new Uri(_base, path), script);
        _endpoints[path] = endpoint;
        return endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!_endpoints.TryGetValue(context.Request.Path.Value ?? "", out var endpoint))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var reply = endpoint.Receive(new ReceivedRequest(headers, body.ToArray(), TimeProvider.System.GetUtcNow()));
        context.Response.StatusCode = reply.Status;
        if (reply.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        await context.Response.WriteAsync($"scripted {reply.Status}", context.RequestAborted);
    }
}

/// <summary>One answer of a scripted endpoint.</summary>
internal sealed record Reply(int Status, string? RetryAfter = null)
{
    public static implicit operator Reply(int status) => new(status);
}

/// <summary>One request as the endpoint received it.</summary>
internal sealed record ReceivedRequest(IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset ReceivedAt)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    public string EventId => Json.GetProperty("eventId").GetString()!;
}

/// <summary>One listener target: what it received, and what it answers next.</summary>
internal sealed class ScriptedEndpoint(Uri uri, Reply[] script)
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly List<ReceivedRequest> _received = [];
    private readonly List<(Func<IReadOnlyList<ReceivedRequest>, bool> Condition, TaskCompletionSource Done)> _waiters = [];
    private Queue<Reply> _script = new(script);
    private Reply _last = script.Length > 0 ? script[^1] : 200;

    public Uri Uri { get; } = uri;

    public IReadOnlyList<ReceivedRequest> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>The requests that carried <paramref name="eventId"/>, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> Of(string eventId) => [.. Received.Where(r => r.EventId == eventId)];

    /// <summary>Replaces the script: the next requests get <paramref name="replies"/>, the last one ever after.</summary>
    public void AnswerNext(params Reply[] replies)
    {
        lock (_gate)
        {
            _script = new Queue<Reply>(replies);
            _last = replies[^1];
        }
    }

    /// <summary>Waits until <paramref name="count"/> requests carrying <paramref name="eventId"/> have arrived and returns them.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(string eventId, int count = 1)
    {
        await WaitUntilAsync(all => all.Count(r => r.EventId == eventId) >= count, $"{count} request(s) of {eventId}");
        return Of(eventId);
    }

    /// <summary>Waits until <paramref name="count"/> requests have arrived, whatever they carried.</summary>
    public Task WaitForCountAsync(int count) => WaitUntilAsync(all => all.Count >= count, $"{count} request(s)");

    internal Reply Receive(ReceivedRequest request)
    {
        lock (_gate)
        {
            _received.Add(request);
            _waiters.RemoveAll(w => w.Condition(_received) && w.Done.TrySetResult());
            return _script.TryDequeue(out var next) ? next : _last;
        }
    }

    private async Task WaitUntilAsync(Func<IReadOnlyList<ReceivedRequest>, bool> condition, string what)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(_received))
            {
                return;
            }

            _waiters.Add((condition, done));
        }

        try
        {
            await done.Task.WaitAsync(WaitLimit);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{Uri.AbsolutePath} did not receive {what} within {WaitLimit.TotalSeconds} s; it received {Received.Count}.");
        }
    }
}
