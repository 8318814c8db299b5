using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Grains.Delivery.Http;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>
/// The real server with a retry schedule short enough for a test: a failing delivery is attempted right away, after
/// 200 ms and after 1.5 s, then it is failed. The longer second step leaves room for a Retry-After of one second,
/// which the server clamps to the schedule's longest step.
/// </summary>
public class DeliveryServer : ApiServer
{
    public static readonly TimeSpan[] Schedule = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(1500)];

    /// <summary>Whether listeners on loopback may be reached (the listener of these tests is on 127.0.0.1).</summary>
    protected virtual bool AllowPrivateNetworks => true;

    protected override IEnumerable<KeyValuePair<string, string>> AdditionalSettings() =>
    [
        .. Schedule.Select((step, i) => KeyValuePair.Create($"Webhooks:Delivery:RetrySchedule:{i}", step.ToString("c"))),
        KeyValuePair.Create("Webhooks:Delivery:JitterRatio", "0"),
        KeyValuePair.Create("Webhooks:Delivery:PollInterval", "00:00:00.05"),
        // Several tests fail one listener more than five times within a minute on purpose; the breaker has tests of its own.
        KeyValuePair.Create("Webhooks:Delivery:CircuitBreakerFailures", "0"),
        KeyValuePair.Create("Webhooks:Delivery:AllowPrivateNetworks", AllowPrivateNetworks ? "true" : "false"),
    ];
}

/// <summary>
/// The same server as in production: listeners on private and loopback addresses are refused. Its DNS knows one
/// extra name, <see cref="InternalHost"/>, pointing at loopback, as a record an attacker controls might.
/// </summary>
public sealed class PrivateNetworksRefusedServer : DeliveryServer
{
    public const string InternalHost = "hooks.internal.test";

    protected override bool AllowPrivateNetworks => false;

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IListenerHostResolver>(new InternalNameResolver());

    private sealed class InternalNameResolver : IListenerHostResolver
    {
        public async ValueTask<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
            host == InternalHost ? [IPAddress.Loopback] : await Dns.GetHostAddressesAsync(host, cancellationToken);
    }
}
