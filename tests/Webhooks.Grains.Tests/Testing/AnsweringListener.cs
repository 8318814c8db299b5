using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Webhooks.Testing;

/// <summary>A listener that comes up on a given port (one the test kept closed until now) and answers 200.</summary>
internal sealed class AnsweringListener : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _eventIds = new();
    private WebApplication? _app;

    /// <summary>The <c>webhook-id</c> of every request received, in order.</summary>
    public IReadOnlyCollection<string> EventIds => _eventIds;

    /// <summary>A loopback port nothing listens on: an attempt there is refused at once, with no timeout involved.</summary>
    public static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public static async Task<AnsweringListener> StartAsync(int port)
    {
        var listener = new AnsweringListener();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        listener._app = builder.Build();
        listener._app.Run(context =>
        {
            listener._eventIds.Enqueue(context.Request.Headers["webhook-id"].ToString());
            return Task.CompletedTask;
        });
        await listener._app.StartAsync();
        return listener;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
