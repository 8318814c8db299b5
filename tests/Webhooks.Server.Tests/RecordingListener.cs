using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Webhooks.Server.Tests;

/// <summary>A real webhook listener on a loopback port that answers 200 and records every delivery it receives.</summary>
internal sealed class RecordingListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<JsonElement> _received = new();
    private readonly SemaphoreSlim _arrivals = new(0);

    private RecordingListener(WebApplication app) => _app = app;

    public IReadOnlyCollection<JsonElement> Received => _received;

    public static async Task<RecordingListener> StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var listener = new RecordingListener(app);
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            listener._received.Enqueue(body.RootElement.Clone());
            listener._arrivals.Release();
            return Results.Ok();
        });
        await app.StartAsync();
        return listener;
    }

    /// <summary>Waits until at least <paramref name="count"/> deliveries have arrived.</summary>
    public async Task WaitForAsync(int count, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (_received.Count < count)
        {
            await _arrivals.WaitAsync(deadline.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _arrivals.Dispose();
    }
}
