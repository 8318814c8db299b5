using System.Globalization;
using System.Net.Sockets;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Webhooks.Grains.Delivery.Http;

/// <summary>
/// The <see cref="AttemptOutcome.Error"/> text for an attempt that got no answer: short, stable, and about the
/// listener's side only (no stack traces, no handler internals), since listener owners read it in their log.
/// </summary>
internal static class AttemptErrors
{
    private const string ClosedEarly = "the connection was reset or closed before a complete response";

    public static string Describe(Exception exception, TimeSpan timeout, int failuresToOpen)
    {
        if (Find<ListenerAddressRefusedException>(exception) is { } refused)
        {
            return refused.Message;
        }

        return exception switch
        {
            TimeoutRejectedException or OperationCanceledException => $"timed out after {Format(timeout)}",
            BrokenCircuitException => $"circuit open: the last {failuresToOpen} attempts to this listener failed",
            HttpRequestException http => Describe(http),
            _ => $"the request failed ({exception.GetType().Name})",
        };
    }

    /// <summary>"15 s", "1.5 s", "250 ms".</summary>
    public static string Format(TimeSpan span) => span < TimeSpan.FromSeconds(1)
        ? $"{span.TotalMilliseconds.ToString("0.#", CultureInfo.InvariantCulture)} ms"
        : $"{span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";

    private static string Describe(HttpRequestException exception)
    {
        var socket = Find<SocketException>(exception);
        return exception.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "could not resolve the listener's host name",
            HttpRequestError.ConnectionError when socket is { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused",
            HttpRequestError.ConnectionError => $"could not connect{Code(socket)}",
            HttpRequestError.SecureConnectionError => "the TLS handshake failed",
            HttpRequestError.ResponseEnded => ClosedEarly,
            _ when socket is { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted } => ClosedEarly,
            HttpRequestError.InvalidResponse => "the response was not valid HTTP",
            HttpRequestError.ProxyTunnelError => "the proxy tunnel failed",
            _ when socket is not null => $"the connection failed{Code(socket)}",
            _ when Find<IOException>(exception) is not null => "the connection failed (reset or closed)",
            _ => "the request failed",
        };
    }

    private static string Code(SocketException? socket) => socket is null ? "" : $" ({socket.SocketErrorCode})";

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T found)
            {
                return found;
            }
        }

        return null;
    }
}
