using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Webhooks.Testing;

/// <summary>
/// The webhook receiver of every test project and the benchmark: Kestrel on a loopback port. It records every request
/// (method, path, query, headers, exact body bytes, arrival time) and answers it by its path:
/// <list type="bullet">
/// <item>a path made by <see cref="Endpoint"/> answers from that endpoint's script;</item>
/// <item>the fixed paths below (<see cref="Status"/>, <see cref="Hang"/>, <see cref="Capacity"/>, …) misbehave as each says;</item>
/// <item>any other path (<c>/hook</c>, say) answers 200 at once, with no body.</item>
/// </list>
/// Faults Kestrel cannot produce, and what became of each connection, are <see cref="RawFaultReceiver"/>'s.
/// </summary>
public sealed class TestReceiver : IAsyncDisposable
{
    /// <summary>The size of <see cref="LargeBody"/>.</summary>
    public const int LargeBodyBytes = 5 * 1024 * 1024;

    /// <summary>The length of <see cref="SlowBody"/>, at a few dozen bytes a second.</summary>
    public const int SlowBodyBytes = 10_000;

    private readonly bool _keepRequests;
    private readonly RequestObserver? _onRequest;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly ConcurrentQueue<ReceivedRequest> _succeeded = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ReceivedRequest>> _arrivals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ScriptedEndpoint> _endpoints = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<int> _inFlightOnArrival = new();
    private readonly TaskCompletionSource _releaseHangs = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _received = new(0);
    private WebApplication? _app;
    private volatile bool _recovered;
    private int _inFlight;
    private int _peakInFlight;
    private int _refused;

    private TestReceiver(TestReceiverOptions options)
    {
        _keepRequests = options.KeepRequests;
        _onRequest = options.OnRequest;
    }

    public int Port { get; private set; }

    /// <summary><c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Every request received, in arrival order (none when <see cref="TestReceiverOptions.KeepRequests"/> is off).</summary>
    public IReadOnlyCollection<ReceivedRequest> Requests => _requests;

    /// <summary>The requests that were answered with a 2xx.</summary>
    public IReadOnlyCollection<ReceivedRequest> Succeeded => _succeeded;

    /// <summary>The <c>webhook-id</c> header of every request received (empty when it had none), in arrival order.</summary>
    public IReadOnlyCollection<string> EventIds => [.. _requests.Select(r => r.WebhookId ?? "")];

    /// <summary>Answers <paramref name="status"/> with a short body and, when given, a raw <c>Retry-After</c> value.</summary>
    public Uri Status(int status, string? retryAfter = null) =>
        Url($"/status/{status}" + (retryAfter is null ? "" : $"?retry-after={Uri.EscapeDataString(retryAfter)}"));

    /// <summary>A 200 with <paramref name="body"/> as UTF-8 text.</summary>
    public Uri Text(string body) => Url($"/text?body={Uri.EscapeDataString(body)}");

    /// <summary>302 to <see cref="RedirectTarget"/>.</summary>
    public Uri Redirect => Url("/redirect");

    /// <summary>Where <see cref="Redirect"/> points: a 200, so a followed redirect would turn into a success.</summary>
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

    /// <summary>A 200 with a body of <see cref="LargeBodyBytes"/>.</summary>
    public Uri LargeBody => Url("/large");

    /// <summary>A 200 whose body (<see cref="SlowBodyBytes"/>) trickles out one byte at a time, a few dozen a second.</summary>
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

    /// <summary>
    /// Starts a receiver on <paramref name="port"/>: 0 (the default) takes a free one, on 127.0.0.1 and ::1; any other
    /// is one the test chose (with <see cref="FreePort"/>) and kept closed until now, on 127.0.0.1.
    /// </summary>
    public static Task<TestReceiver> StartAsync(int port = 0) => StartAsync(new TestReceiverOptions { Port = port });

    public static async Task<TestReceiver> StartAsync(TestReceiverOptions options)
    {
        var receiver = new TestReceiver(options);
        for (var attempt = 1; ; attempt++)
        {
            var port = options.Port == 0 ? FreePort() : options.Port;

            // No configuration file watcher: with the current directory as content root it would watch a whole folder
            // tree (the temp folder, say) and wake up on every write a server under test makes to its database.
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
            {
                ContentRootPath = AppContext.BaseDirectory,
                Args = ["--hostBuilder:reloadConfigOnChange=false"],
            });
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                if (options.Port == 0)
                {
                    kestrel.ListenLocalhost(port);
                }
                else
                {
                    kestrel.Listen(IPAddress.Loopback, port);
                }

                kestrel.AddServerHeader = false;
                kestrel.Limits.MinResponseDataRate = null; // the slow body is slow on purpose
            });
            var app = builder.Build();
            app.Run(receiver.HandleAsync);
            try
            {
                await app.StartAsync();
                (receiver._app, receiver.Port, receiver.BaseAddress) = (app, port, new Uri($"http://127.0.0.1:{port}/"));
                return receiver;
            }
            catch (IOException) when (options.Port == 0 && attempt < 5)
            {
                await app.DisposeAsync(); // the port was taken between choosing and binding it
            }
        }
    }

    /// <summary>A loopback port nothing listens on: an attempt there is refused at once, with no timeout involved.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>A new path of its own answering <paramref name="script"/> in turn, the last reply ever after (200 when empty).</summary>
    public ScriptedEndpoint Endpoint(params Reply[] script)
    {
        var path = "/hooks/" + Guid.NewGuid().ToString("N");
        var endpoint = new ScriptedEndpoint(Url(path), script);
        _endpoints[path] = endpoint;
        return endpoint;
    }

    /// <summary>A new path of its own whose every request is answered as <paramref name="answer"/> says, called one request at a time.</summary>
    public ScriptedEndpoint AnsweringEndpoint(Func<ReceivedRequest, Reply> answer)
    {
        var path = "/hooks/" + Guid.NewGuid().ToString("N");
        var endpoint = new ScriptedEndpoint(Url(path), [], answer);
        _endpoints[path] = endpoint;
        return endpoint;
    }

    /// <summary>Completes when a request for <paramref name="path"/> has arrived (including one that already has).</summary>
    public Task<ReceivedRequest> WhenReceived(string path) => Arrival(path).Task;

    /// <summary>Waits until at least <paramref name="count"/> requests have arrived; a <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public async Task WaitForAsync(int count, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (_requests.Count < count)
            {
                await _received.WaitAsync(deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"The receiver got {_requests.Count} of {count} requests within {timeout.TotalSeconds} s.");
        }
    }

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

        _received.Dispose();
    }

    private TaskCompletionSource<ReceivedRequest> Arrival(string path) =>
        _arrivals.GetOrAdd(path, _ => new TaskCompletionSource<ReceivedRequest>(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task HandleAsync(HttpContext context)
    {
        var arrived = Stopwatch.GetTimestamp();
        var request = context.Request;
        var path = request.Path.Value ?? "";
        _endpoints.TryGetValue(path, out var endpoint);
        ReceivedRequest? recorded = null;
        try
        {
            // Read the whole body, as any real receiver would before answering; a pooled buffer keeps this cheap.
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max((int)(request.ContentLength ?? 0), 1024));
            var read = 0;
            try
            {
                int r;
                while ((r = await request.Body.ReadAsync(buffer.AsMemory(read))) > 0)
                {
                    read += r;
                    if (read == buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, read).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                }

                _onRequest?.Invoke(request, arrived, buffer.AsSpan(0, read));
                if (_keepRequests || endpoint is not null)
                {
                    recorded = Record(request, path, buffer.AsSpan(0, read).ToArray());
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            await (endpoint is not null ? ScriptedAsync(context, endpoint.Receive(recorded!)) : RespondAsync(context, path));
            if (recorded is not null && context.Response.StatusCode is >= 200 and < 300)
            {
                _succeeded.Enqueue(recorded);
            }
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client stopped reading or hung up, which is what several paths are for.
        }
    }

    private ReceivedRequest Record(HttpRequest request, string path, byte[] body)
    {
        var recorded = new ReceivedRequest(
            request.Method,
            path,
            request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body,
            TimeProvider.System.GetUtcNow());
        if (_keepRequests)
        {
            _requests.Enqueue(recorded);
            Arrival(path).TrySetResult(recorded);
            _received.Release();
        }

        return recorded;
    }

    private Task RespondAsync(HttpContext context, string path)
    {
        // Anything outside the fixed paths is a plain 200, without so much as a string allocated.
        var span = path.AsSpan();
        return span switch
        {
            "/text" => context.Response.WriteAsync(context.Request.Query["body"].ToString(), Encoding.UTF8, context.RequestAborted),
            "/redirect" => RedirectAsync(context),
            "/redirected" => context.Response.WriteAsync("followed", context.RequestAborted),
            "/hang" => HangAsync(context),
            "/unavailable" => UnavailableAsync(context),
            "/reset" => ResetAsync(context),
            "/reset-mid-body" => ResetMidBodyAsync(context),
            "/endless" => EndlessAsync(context),
            "/large" => LargeAsync(context),
            "/slow" => SlowAsync(context),
            _ when span.StartsWith("/status/") && int.TryParse(span["/status/".Length..], CultureInfo.InvariantCulture, out var status) =>
                StatusAsync(context, status),
            _ when span.StartsWith("/capacity/") && int.TryParse(span["/capacity/".Length..], CultureInfo.InvariantCulture, out var capacity) =>
                CapacityAsync(context, capacity),
            _ => Task.CompletedTask,
        };
    }

    private static async Task ScriptedAsync(HttpContext context, Reply reply)
    {
        context.Response.StatusCode = reply.Status;
        if (reply.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        await context.Response.WriteAsync($"scripted {reply.Status}", context.RequestAborted);
    }

    private static async Task StatusAsync(HttpContext context, int status)
    {
        var response = context.Response;
        response.StatusCode = status;
        if (context.Request.Query["retry-after"] is [{ } retryAfter])
        {
            response.Headers.RetryAfter = retryAfter;
        }

        if (status is not (StatusCodes.Status204NoContent or StatusCodes.Status304NotModified))
        {
            await response.WriteAsync($"status {status}", context.RequestAborted);
        }
    }

    private async Task CapacityAsync(HttpContext context, int capacity)
    {
        var now = Interlocked.Increment(ref _inFlight);
        try
        {
            _inFlightOnArrival.Enqueue(now);
            int peak;
            while (now > (peak = Volatile.Read(ref _peakInFlight)) && Interlocked.CompareExchange(ref _peakInFlight, now, peak) != peak)
            {
            }

            if (now > capacity)
            {
                Interlocked.Increment(ref _refused);
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return;
            }

            await Task.Delay(int.Parse(context.Request.Query["delay"].ToString(), CultureInfo.InvariantCulture), context.RequestAborted);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static Task RedirectAsync(HttpContext context)
    {
        context.Response.Redirect("/redirected");
        return Task.CompletedTask;
    }

    private async Task HangAsync(HttpContext context)
    {
        await _releaseHangs.Task.WaitAsync(context.RequestAborted);
        await context.Response.WriteAsync("released", context.RequestAborted);
    }

    private async Task UnavailableAsync(HttpContext context)
    {
        if (!_recovered)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), context.RequestAborted); // the point of this path is to be in flight a while
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        }
    }

    private static Task ResetAsync(HttpContext context)
    {
        context.Abort();
        return Task.CompletedTask;
    }

    private static async Task ResetMidBodyAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        context.Response.ContentLength = 10_000;
        await context.Response.Body.WriteAsync(Encoding.ASCII.GetBytes(new string('r', 100)), aborted);
        await context.Response.Body.FlushAsync(aborted);

        // A reset makes the client's kernel drop whatever it has not read yet, so give the client time to read
        // the status and the first bytes; nothing on this side can observe that read, so a barrier cannot do it.
        await Task.Delay(TimeSpan.FromMilliseconds(250), aborted);
        context.Abort();
    }

    private static async Task EndlessAsync(HttpContext context)
    {
        var chunk = Encoding.ASCII.GetBytes(new string('e', 16 * 1024));
        while (true)
        {
            await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
        }
    }

    private static async Task LargeAsync(HttpContext context)
    {
        context.Response.ContentLength = LargeBodyBytes;
        var block = Encoding.ASCII.GetBytes(new string('l', 64 * 1024));
        for (var sent = 0; sent < LargeBodyBytes; sent += block.Length)
        {
            await context.Response.Body.WriteAsync(block, context.RequestAborted);
        }
    }

    private static async Task SlowAsync(HttpContext context)
    {
        for (var sent = 0; sent < SlowBodyBytes; sent++)
        {
            await context.Response.Body.WriteAsync("s"u8.ToArray(), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(TimeSpan.FromMilliseconds(20), context.RequestAborted); // the point of this path is to be slow
        }
    }
}

/// <summary>How a <see cref="TestReceiver"/> listens and what it keeps.</summary>
public sealed class TestReceiverOptions
{
    /// <summary>0 (the default): a free port on 127.0.0.1 and ::1; otherwise this port, on 127.0.0.1.</summary>
    public int Port { get; init; }

    /// <summary>
    /// Whether every request is kept whole in <see cref="TestReceiver.Requests"/> (the default). A load test that
    /// sends hundreds of thousands turns it off and keeps what it needs through <see cref="OnRequest"/>.
    /// </summary>
    public bool KeepRequests { get; init; } = true;

    /// <summary>Sees every request once its body is read, before it is answered.</summary>
    public RequestObserver? OnRequest { get; init; }
}

/// <summary>
/// One request as it arrives at a <see cref="TestReceiver"/>: <paramref name="arrived"/> is a
/// <see cref="Stopwatch"/> timestamp taken before its body was read, and <paramref name="body"/> is valid only during the call.
/// </summary>
/// <param name="request">The request, its headers and query.</param>
/// <param name="arrived">When it arrived, as <see cref="Stopwatch.GetTimestamp"/>.</param>
/// <param name="body">Its exact body bytes.</param>
public delegate void RequestObserver(HttpRequest request, long arrived, ReadOnlySpan<byte> body);
