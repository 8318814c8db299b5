using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Webhooks.Api.Tests.Client;

/// <summary>One answer of the stub: a status, its <c>Retry-After</c>, and a body with its media type.</summary>
public sealed record StubReply(int Status, string? RetryAfter = null, string? Body = null, string ContentType = "application/problem+json");

/// <summary>What the stub received.</summary>
public sealed record StubRequest(string Method, string Path, string? Authorization, string? TenantId, string Body);

/// <summary>
/// A loopback HTTP server that answers every request with the next reply of its script (the last one ever after)
/// and records what it received: the server's 429 and 503, on demand, for the client's retry tests.
/// </summary>
public sealed class StubApi : IAsyncDisposable
{
    private readonly ConcurrentQueue<StubRequest> _received = new();
    private readonly Queue<StubReply> _script;
    private readonly StubReply _last;
    private WebApplication _app = null!;

    private StubApi(StubReply[] script)
    {
        _script = new Queue<StubReply>(script);
        _last = script[^1];
    }

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<StubRequest> Received => [.. _received];

    public static async Task<StubApi> StartAsync(params StubReply[] script)
    {
        var stub = new StubApi(script);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        stub._app = builder.Build();
        stub._app.Run(stub.AnswerAsync);
        await stub._app.StartAsync();
        var address = stub._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        stub.BaseAddress = new Uri(address);
        return stub;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task AnswerAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        StubReply reply;
        lock (_script)
        {
            _received.Enqueue(new StubRequest(context.Request.Method, context.Request.Path, context.Request.Headers.Authorization, context.Request.Headers["N-TenantId"], body));
            reply = _script.Count > 0 ? _script.Dequeue() : _last;
        }

        context.Response.StatusCode = reply.Status;
        if (reply.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = reply.RetryAfter;
        }

        if (reply.Body is not null)
        {
            context.Response.ContentType = reply.ContentType;
            await context.Response.WriteAsync(reply.Body, context.RequestAborted);
        }
    }
}
