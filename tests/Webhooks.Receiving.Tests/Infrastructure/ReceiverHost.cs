using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Webhooks.Api.Tests.Infrastructure;

namespace Webhooks.Receiving.Tests.Infrastructure;

/// <summary>
/// A listener author's app: Kestrel on a loopback port with <c>AddWebhookReceiver</c> and <c>MapWebhookReceiver("/hooks")</c>,
/// whose handler records every event it is given. Its port is chosen before it starts, so options (and the listener
/// registered with the server) can name it.
/// </summary>
public sealed class ReceiverHost : IAsyncDisposable
{
    private readonly ConcurrentQueue<WebhookEvent> _handled = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private WebApplication _app = null!;

    private ReceiverHost(int port)
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        Client = new HttpClient { BaseAddress = BaseAddress };
    }

    public Uri BaseAddress { get; }

    /// <summary>The receiver's endpoint, <c>/hooks</c>.</summary>
    public Uri Hooks => new(BaseAddress, "hooks");

    public HttpClient Client { get; }

    /// <summary>Every event the handler was called with, in order (a handler that threw included).</summary>
    public IReadOnlyCollection<WebhookEvent> Handled => _handled;

    /// <summary>A free loopback port, for a receiver to be started on.</summary>
    public static int FreePort() => ApiServer.FreeTcpPort();

    /// <summary>
    /// Starts the receiver on <paramref name="port"/> (a free one when 0). <paramref name="onEvent"/> runs after the event
    /// is recorded (to throw, say); <paramref name="respond"/>, when given, maps the handler whose result is the response;
    /// <paramref name="map"/> adds endpoints of the app's own (a key set, say).
    /// </summary>
    public static async Task<ReceiverHost> StartAsync(
        Action<WebhookReceiverOptions> configure,
        int port = 0,
        Func<WebhookEvent, Task>? onEvent = null,
        Func<WebhookEvent, IResult>? respond = null,
        Action<WebApplication>? map = null)
    {
        var host = new ReceiverHost(port == 0 ? FreePort() : port);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, host.BaseAddress.Port));
        builder.Services.AddWebhookReceiver(configure);
        var app = builder.Build();
        async Task Record(WebhookEvent received)
        {
            host._handled.Enqueue(received);
            host._arrived.Release();
            if (onEvent is not null)
            {
                await onEvent(received);
            }
        }

        if (respond is null)
        {
            app.MapWebhookReceiver("/hooks", (WebhookEvent received, CancellationToken cancellationToken) => Record(received));
        }
        else
        {
            app.MapWebhookReceiver("/hooks", async (WebhookEvent received, CancellationToken cancellationToken) =>
            {
                await Record(received);
                return respond(received);
            });
        }

        map?.Invoke(app);
        await app.StartAsync();
        host._app = app;
        return host;
    }

    /// <summary>Waits (up to 30 s) for the handler to be given an event that satisfies <paramref name="match"/>.</summary>
    public async Task<WebhookEvent> WaitForAsync(Func<WebhookEvent, bool> match)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (_handled.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            try
            {
                await _arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"The handler was not given the expected event in 30 s; it was given: {string.Join(", ", _handled.Select(e => $"{e.EventCode} {e.EventId} #{e.CallAttempt}"))}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
