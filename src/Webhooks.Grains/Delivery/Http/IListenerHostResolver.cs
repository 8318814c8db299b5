using System.Net;

namespace Webhooks.Grains.Delivery.Http;

/// <summary>
/// Turns a listener's host name into the addresses a delivery may connect to. The default asks DNS; a deployment
/// (or a test) may register its own. Whatever it returns is judged by <see cref="NetworkAddressPolicy"/> and then
/// connected to as is, so a resolver cannot open a way past the guard.
/// </summary>
public interface IListenerHostResolver
{
    /// <summary>The addresses of <paramref name="host"/>, a DNS name (never an IP literal or a <c>localhost</c> name).</summary>
    ValueTask<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <summary>The default: the system's DNS resolver.</summary>
internal sealed class DnsListenerHostResolver : IListenerHostResolver
{
    public async ValueTask<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        await Dns.GetHostAddressesAsync(host, cancellationToken);
}
