using System.Net;
using System.Net.Sockets;

namespace Webhooks.Grains.Delivery.Http;

/// <summary>
/// The delivery handler's <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the listener's host itself and
/// refuses, before any byte is sent, when an address it resolves to is not public. The check is on the very
/// addresses the socket then connects to, so a DNS name pointing inside the network (or re-pointed there
/// between a check and a connect) does not pass.
/// </summary>
internal static class ListenerConnector
{
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Create(bool allowPrivateNetworks, IListenerHostResolver resolver) =>
        (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivateNetworks, resolver, cancellationToken);

    private static async ValueTask<Stream> ConnectAsync(
        DnsEndPoint endpoint, bool allowPrivateNetworks, IListenerHostResolver resolver, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(endpoint.Host, resolver, cancellationToken);
        if (!allowPrivateNetworks)
        {
            foreach (var address in addresses)
            {
                if (NetworkAddressPolicy.Describe(address) is { } reason)
                {
                    throw new ListenerAddressRefusedException(address, reason);
                }
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async ValueTask<IPAddress[]> ResolveAsync(string host, IListenerHostResolver resolver, CancellationToken cancellationToken)
    {
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (IPAddress.TryParse(literal, out var address))
        {
            return [address];
        }

        // RFC 6761: "localhost" and every name under it are loopback, whatever a DNS server might say about them.
        var name = host.TrimEnd('.');
        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return [IPAddress.Loopback, IPAddress.IPv6Loopback];
        }

        var addresses = await resolver.ResolveAsync(host, cancellationToken);
        return addresses.Length > 0 ? addresses : throw new SocketException((int)SocketError.HostNotFound);
    }
}
