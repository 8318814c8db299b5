using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Webhooks.Server.Tests;

/// <summary>
/// A real webhook listener on a loopback port that answers 200 and records every delivery it receives. Several
/// webhooks can share it: each names itself in its URI, <c>/hook?listener=name</c>.
/// </summary>
internal sealed class RecordingListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<JsonElement> _received = new();
    private readonly ConcurrentQueue<(string? Listener, JsonElement Body)> _deliveries = new();
    private readonly SemaphoreSlim _arrivals = new(0);
    private readonly ConcurrentQueue<SignedDelivery> _signed = new();

    private RecordingListener(WebApplication app) => _app = app;

    public IReadOnlyCollection<JsonElement> Received => _received;

    /// <summary>Every delivery with the <c>listener</c> named in the URI it was sent to (null when none was).</summary>
    public IReadOnlyCollection<(string? Listener, JsonElement Body)> Deliveries => _deliveries;

    /// <summary>Every delivery as it arrived: its signature headers and the exact body they sign.</summary>
    public IReadOnlyCollection<SignedDelivery> Signed => _signed;

    public static async Task<RecordingListener> StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var listener = new RecordingListener(app);
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            var text = await new StreamReader(request.Body).ReadToEndAsync();
            var delivery = JsonDocument.Parse(text).RootElement.Clone();
            var name = request.Query["listener"].FirstOrDefault();
            listener._signed.Enqueue(new SignedDelivery(
                name, request.Headers["webhook-id"].ToString(), request.Headers["webhook-timestamp"].ToString(),
                request.Headers["webhook-signature"].ToString(), request.Headers["N-Signature"].ToString(), text));
            listener._deliveries.Enqueue((name, delivery));
            listener._received.Enqueue(delivery);
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
