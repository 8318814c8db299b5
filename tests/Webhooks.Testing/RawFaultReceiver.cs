using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Webhooks.Testing;

/// <summary>
/// A webhook receiver written on a raw <see cref="TcpListener"/>, for faults <see cref="TestReceiver"/> cannot produce
/// or observe: it resets the connection, streams a body forever, trickles it byte by byte. Each <see cref="Endpoint"/>
/// is a path with one behaviour, and records every connection it served: when the request came, how many response
/// bytes it managed to write, and when the dispatcher closed the connection on it.
/// </summary>
public sealed class RawFaultReceiver : IAsyncDisposable
{
    /// <summary>The size of the large body: far more than loopback socket buffers absorb, so an unread rest shows.</summary>
    public const long LargeBodyBytes = 64L * 1024 * 1024;

    /// <summary>The slow body's length; at one byte per 50 ms it takes 100 s, far past any test timeout.</summary>
    public const int SlowBodyBytes = 2000;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, FaultyEndpoint> _endpoints = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Task> _connections = [];
    private Task _accepting = Task.CompletedTask;

    private RawFaultReceiver()
    {
    }

    public static RawFaultReceiver Start()
    {
        var listener = new RawFaultReceiver();
        listener._listener.Start();
        listener._accepting = listener.AcceptAsync();
        return listener;
    }

    /// <summary>A new path that behaves as <paramref name="fault"/>.</summary>
    public FaultyEndpoint Endpoint(Fault fault)
    {
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        var name = Guid.NewGuid().ToString("N");
        var endpoint = new FaultyEndpoint(fault, new Uri($"http://127.0.0.1:{port}/fault/{name}"), new Uri($"http://127.0.0.1:{port}/moved/{name}"));
        _endpoints[endpoint.Uri.AbsolutePath] = endpoint;
        _endpoints[endpoint.RedirectTarget.AbsolutePath] = endpoint;
        return endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await Task.WhenAll([_accepting, .. _connections]).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _connections.Add(Task.Run(() => ServeAsync(client)));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var (path, head) = await ReadRequestAsync(stream);
        if (path is null || !_endpoints.TryGetValue(path, out var endpoint))
        {
            return;
        }

        if (path == endpoint.RedirectTarget.AbsolutePath)
        {
            endpoint.RedirectFollowed();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(Response(200, "followed")));
            return;
        }

        var connection = endpoint.Accept(head);
        var waitForDispatcher = true;
        try
        {
            waitForDispatcher = await RespondAsync(client, stream, endpoint, connection);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The dispatcher hung up on us, which several faults exist to provoke.
        }

        connection.Closed(waitForDispatcher && await ClosedByPeerAsync(stream));
    }

    /// <summary>Answers as the fault says; false when the listener itself ends the connection (a reset).</summary>
    private async Task<bool> RespondAsync(TcpClient client, NetworkStream stream, FaultyEndpoint endpoint, FaultyConnection connection)
    {
        var token = _stop.Token;
        switch (endpoint.Fault)
        {
            case { Kind: FaultKind.Status } f:
                var retryAfter = f.RetryAfter is null ? "" : $"Retry-After: {f.RetryAfter}\r\n";
                await WriteAsync(stream, connection, Response(f.Status, $"status {f.Status}", retryAfter), token);
                break;
            case { Kind: FaultKind.Redirect } f:
                await WriteAsync(stream, connection, Response(f.Status, "moved", $"Location: {endpoint.RedirectTarget}\r\n"), token);
                break;
            case { Kind: FaultKind.Hang }:
                break; // say nothing; the dispatcher's timeout has to end it
            case { Kind: FaultKind.ResetBeforeResponse }:
                client.Client.LingerState = new LingerOption(true, 0); // closing now sends RST, not FIN
                return false;
            case { Kind: FaultKind.ResetMidBody }:
                await WriteAsync(stream, connection, Head(200, "Content-Length: 10000\r\n") + new string('r', 100), token);
                // The dispatcher must have read the status and the first bytes before the reset discards them.
                await Task.Delay(TimeSpan.FromMilliseconds(250), token);
                client.Client.LingerState = new LingerOption(true, 0);
                return false;
            case { Kind: FaultKind.EndlessBody }:
                await WriteAsync(stream, connection, Head(200, "Transfer-Encoding: chunked\r\n"), token);
                var chunk = Encoding.ASCII.GetBytes($"4000\r\n{new string('e', 0x4000)}\r\n");
                while (true)
                {
                    await WriteAsync(stream, connection, chunk, token);
                }

            case { Kind: FaultKind.LargeBody }:
                await WriteAsync(stream, connection, Head(200, $"Content-Length: {LargeBodyBytes}\r\n"), token);
                var block = Encoding.ASCII.GetBytes(new string('l', 64 * 1024));
                for (long sent = 0; sent < LargeBodyBytes; sent += block.Length)
                {
                    await WriteAsync(stream, connection, block, token);
                }

                connection.WroteEverything();
                break;
            case { Kind: FaultKind.SlowBody }:
                await WriteAsync(stream, connection, Head(200, $"Content-Length: {SlowBodyBytes}\r\n"), token);
                for (var sent = 0; sent < SlowBodyBytes; sent++)
                {
                    await WriteAsync(stream, connection, "s"u8.ToArray(), token);
                    await Task.Delay(TimeSpan.FromMilliseconds(50), token); // slowness is the fault under test
                }

                connection.WroteEverything();
                break;
        }

        return true;
    }

    /// <summary>Waits for the dispatcher to close the connection (or 30 s) and says whether it did.</summary>
    private async Task<bool> ClosedByPeerAsync(NetworkStream stream)
    {
        var buffer = new byte[1024];
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            while (await stream.ReadAsync(buffer, limit.Token) > 0)
            {
            }

            return true;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<(string? Path, string Head)> ReadRequestAsync(NetworkStream stream)
    {
        var received = new List<byte>();
        var buffer = new byte[8192];
        int end;
        while ((end = IndexOfHeadEnd(received)) < 0)
        {
            var n = await stream.ReadAsync(buffer);
            if (n == 0)
            {
                return (null, "");
            }

            received.AddRange(buffer.AsSpan(0, n));
        }

        var head = Encoding.ASCII.GetString([.. received.Take(end)]);
        var length = head.Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(p => int.Parse(p[1].Trim(), CultureInfo.InvariantCulture)).FirstOrDefault();
        for (var have = received.Count - end - 4; have < length;)
        {
            var n = await stream.ReadAsync(buffer);
            if (n == 0)
            {
                break;
            }

            have += n;
        }

        return (head.Split(' ')[1].Split('?')[0], head);
    }

    private static int IndexOfHeadEnd(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    private static string Head(int status, string headers) => $"HTTP/1.1 {status} Fault\r\n{headers}Connection: close\r\n\r\n";

    private static string Response(int status, string body, string headers = "") => Head(status, $"{headers}Content-Length: {body.Length}\r\n") + body;

    private static Task WriteAsync(NetworkStream stream, FaultyConnection connection, string text, CancellationToken token) =>
        WriteAsync(stream, connection, Encoding.ASCII.GetBytes(text), token);

    private static async Task WriteAsync(NetworkStream stream, FaultyConnection connection, byte[] bytes, CancellationToken token)
    {
        await stream.WriteAsync(bytes, token);
        connection.Wrote(bytes.Length);
    }
}

/// <summary>The ways a <see cref="RawFaultReceiver"/> endpoint misbehaves.</summary>
public enum FaultKind
{
    Status,
    Redirect,
    Hang,
    ResetBeforeResponse,
    ResetMidBody,
    EndlessBody,
    LargeBody,
    SlowBody,
}

/// <summary>One misbehaviour: a kind, and for statuses and redirects the code and a raw <c>Retry-After</c>.</summary>
public sealed record Fault(FaultKind Kind, int Status = 200, string? RetryAfter = null)
{
    public static Fault Answer(int status, string? retryAfter = null) => new(FaultKind.Status, status, retryAfter);

    public static Fault RedirectWith(int status) => new(FaultKind.Redirect, status);

    public override string ToString() => Kind is FaultKind.Status or FaultKind.Redirect ? $"{Kind} {Status}" : Kind.ToString();
}
