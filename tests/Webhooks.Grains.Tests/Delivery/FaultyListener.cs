using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Webhooks.Grains.Tests.Delivery.Http;

/// <summary>
/// A real HTTP listener (Kestrel on 127.0.0.1 and ::1, one free port) that misbehaves on demand, chosen by path,
/// and records every request it receives: headers, exact body bytes and when it arrived.
/// </summary>
internal sealed class FaultyListener : IAsyncDisposable
{
    public const int LargeBodyBytes = 5 * 1024 * 1024;
    public const int SlowBodyBytes = 10_000;

    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<RecordedRequest> _succeeded = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<RecordedRequest>> _arrivals = new();
    private readonly TaskCompletionSource _releaseHangs = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;
    private volatile bool _recovered;

    public int Port { get; private set; }

    public IReadOnlyCollection<RecordedRequest> Requests => _requests;

    /// <summary>The requests that were answered with a 2xx.</summary>
    public IReadOnlyCollection<RecordedRequest> Succeeded => _succeeded;

    /// <summary>Answers <paramref name="status"/> with a short body and, when given, a raw <c>Retry-After</c> value.</summary>
    public Uri Status(int status, string? retryAfter = null) =>
        Url($"/status/{status}" + (retryAfter is null ? "" : $"?retry-after={Uri.EscapeDataString(retryAfter)}"));

    /// <summary>A 200 with <paramref name="body"/> as UTF-8 text.</summary>
    public Uri Text(string body) => Url($"/text?body={Uri.EscapeDataString(body)}");

    /// <summary>302 to <see cref="RedirectTarget"/>.</summary>
    public Uri Redirect => Url("/redirect");

    public Uri RedirectTarget => Url("/redirected");

    /// <summary>Sends nothing until <see cref="ReleaseHangs"/> (then 200) or until the client gives up.</summary>
    public Uri Hang => Url("/hang");

    /// <summary>Answers 503 a moment after each request arrives, so attempts are on the wire, until <see cref="Recover"/>; then 200.</summary>
    public Uri Unavailable => Url("/unavailable");

    /// <summary>Aborts the connection without any response.</summary>
    public Uri ResetBeforeResponse => Url("/reset");

    /// <summary>Sends a 200 with a Content-Length of 10 000, 100 bytes of body, then aborts the connection.</summary>
    public Uri ResetMidBody => Url("/reset-mid-body");

    /// <summary>A 200 whose body never ends.</summary>
    public Uri EndlessBody => Url("/endless");

    /// <summary>A 200 with a 5 MB body.</summary>
    public Uri LargeBody => Url("/large");

    /// <summary>A 200 whose body trickles out one byte at a time, a few dozen a second.</summary>
    public Uri SlowBody => Url("/slow");

    /// <summary>
    /// Takes at most <paramref name="capacity"/> requests at once, each for <paramref name="delayMs"/>: one more in flight
    /// is answered 429 at once. <see cref="PeakInFlight"/> says what it saw.
    /// </summary>
    public Uri Capacity(int capacity, int delayMs) => Url($"/capacity/{capacity}?delay={delayMs}");

    /// <summary>The most requests <see cref="Capacity"/> ever had in flight at once, the refused ones included.</summary>
    public int PeakInFlight => Volatile.Read(ref _peakInFlight);

    /// <summary>Requests <see cref="Capacity"/> refused with 429.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>The in-flight counts <see cref="Capacity"/> saw on arrival, in arrival order.</summary>
    public IReadOnlyCollection<int> InFlightOnArrival => _inFlightOnArrival;

    public Uri Url(string pathAndQuery) => new($"http://127.0.0.1:{Port}{pathAndQuery}");

    public static async Task<FaultyListener> StartAsync()
    {
        var listener = new FaultyListener();
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.ListenLocalhost(port);
                kestrel.Limits.MinResponseDataRate = null;
            });
            var app = builder.Build();
            app.Run(listener.HandleAsync);
            try
            {
                await app.StartAsync();
                (listener._app, listener.Port) = (app, port);
                return listener;
            }
            catch (IOException) when (attempt < 5)
            {
                await app.DisposeAsync(); // the port was taken between choosing and binding it
            }
        }
    }

    /// <summary>Completes when a request for <paramref name="path"/> has arrived (including one that already has).</summary>
    public Task<RecordedRequest> WhenReceived(string path) => Arrival(path).Task;

    public void ReleaseHangs() => _releaseHangs.TrySetResult();

    /// <summary>From now on <see cref="Unavailable"/> answers 200.</summary>
    public void Recover() => _recovered = true;

    public async ValueTask DisposeAsync()
    {
        ReleaseHangs();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private TaskCompletionSource<RecordedRequest> Arrival(string path) =>
        _arrivals.GetOrAdd(path, _ => new TaskCompletionSource<RecordedRequest>(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        var recorded = new RecordedRequest(
            request.Method,
            request.Path.Value ?? "",
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body.ToArray(),
            TimeProvider.System.GetUtcNow());
        _requests.Enqueue(recorded);
        Arrival(recorded.Path).TrySetResult(recorded);
        try
        {
            await RespondAsync(context, recorded.Path);
            if (context.Response.StatusCode is >= 200 and < 300)
            {
                _succeeded.Enqueue(recorded);
            }
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client stopped reading or hung up, which is what several modes are for.
        }
    }

    private int _inFlight;
    private int _peakInFlight;
    private int _refused;
    private readonly ConcurrentQueue<int> _inFlightOnArrival = new();

    private async Task RespondAsync(HttpContext context, string path)
    {
        var response = context.Response;
        var aborted = context.RequestAborted;
        switch (path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            case ["status", var code]:
                response.StatusCode = int.Parse(code, System.Globalization.CultureInfo.InvariantCulture);
                if (context.Request.Query["retry-after"] is [{ } retryAfter])
                {
                    response.Headers.RetryAfter = retryAfter;
                }

                if (response.StatusCode is not (StatusCodes.Status204NoContent or StatusCodes.Status304NotModified))
                {
                    await response.WriteAsync($"status {code}", aborted);
                }

                break;
            case ["capacity", var capacity]:
                var now = Interlocked.Increment(ref _inFlight);
                try
                {
                    _inFlightOnArrival.Enqueue(now);
                    int peak;
                    while (now > (peak = Volatile.Read(ref _peakInFlight)) && Interlocked.CompareExchange(ref _peakInFlight, now, peak) != peak)
                    {
                    }

                    if (now > int.Parse(capacity, System.Globalization.CultureInfo.InvariantCulture))
                    {
                        Interlocked.Increment(ref _refused);
                        response.StatusCode = StatusCodes.Status429TooManyRequests;
                        break;
                    }

                    await Task.Delay(int.Parse(context.Request.Query["delay"].ToString(), System.Globalization.CultureInfo.InvariantCulture), aborted);
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }

                break;
            case ["text"]:
                await response.WriteAsync(context.Request.Query["body"].ToString(), Encoding.UTF8, aborted);
                break;
            case ["redirect"]:
                response.Redirect("/redirected");
                break;
            case ["redirected"]:
                await response.WriteAsync("followed", aborted); // a 200 that a followed redirect would turn into success
                break;
            case ["hang"]:
                await _releaseHangs.Task.WaitAsync(aborted);
                await response.WriteAsync("released", aborted);
                break;
            case ["unavailable"]:
                if (!_recovered)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), aborted); // the point of this mode is to be in flight a while
                    response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                }

                break;
            case ["reset"]:
                context.Abort();
                break;
            case ["reset-mid-body"]:
                response.ContentLength = 10_000;
                await response.Body.WriteAsync(Encoding.ASCII.GetBytes(new string('r', 100)), aborted);
                await response.Body.FlushAsync(aborted);

                // A reset makes the client's kernel drop whatever it has not read yet, so give the client time to read
                // the status and the first bytes; nothing on this side can observe that read, so a barrier cannot do it.
                await Task.Delay(TimeSpan.FromMilliseconds(250), aborted);
                context.Abort();
                break;
            case ["endless"]:
                var chunk = Encoding.ASCII.GetBytes(new string('e', 16 * 1024));
                while (true)
                {
                    await response.Body.WriteAsync(chunk, aborted);
                }

            case ["large"]:
                response.ContentLength = LargeBodyBytes;
                var block = Encoding.ASCII.GetBytes(new string('l', 64 * 1024));
                for (var sent = 0; sent < LargeBodyBytes; sent += block.Length)
                {
                    await response.Body.WriteAsync(block, aborted);
                }

                break;
            case ["slow"]:
                for (var sent = 0; sent < SlowBodyBytes; sent++)
                {
                    await response.Body.WriteAsync("s"u8.ToArray(), aborted);
                    await response.Body.FlushAsync(aborted);
                    await Task.Delay(TimeSpan.FromMilliseconds(20), aborted); // the point of this mode is to be slow
                }

                break;
            default:
                response.StatusCode = StatusCodes.Status404NotFound;
                break;
        }
    }
}
