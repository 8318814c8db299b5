using System.Net;
using Webhooks.Grains.Delivery.Http;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.Delivery.Http;

/// <summary>End to end: with private networks not allowed, every spelling of a loopback target is refused before a byte is sent.</summary>
public sealed class ListenerAddressGuardTests
{
    private const string Hint = "(set Webhooks:Delivery:AllowPrivateNetworks to allow)";

    public static TheoryData<string> LoopbackSpellings =>
    [
        "http://127.0.0.1:{0}/status/200",
        "http://[::1]:{0}/status/200",
        "http://2130706433:{0}/status/200",
        "http://0177.0.0.1:{0}/status/200",
        "http://0x7f.0.0.1:{0}/status/200",
        "http://127.1:{0}/status/200",
        "http://localhost:{0}/status/200",
        "http://[::ffff:127.0.0.1]:{0}/status/200",
        "http://foo.localhost:{0}/status/200",
        "http://LOCALHOST.:{0}/status/200",
    ];

    // Not loopback by name, but each reaches into the deployment; 0.0.0.0 even connects to this very host on Linux.
    public static TheoryData<string, string> OtherPrivateTargets => new()
    {
        { "http://0.0.0.0:{0}/status/200", "is the unspecified address" },
        { "http://[::]:{0}/status/200", "is the unspecified address" },
        { "http://10.0.0.1:{0}/status/200", "is in a private network" },
        { "http://[::ffff:10.0.0.1]:{0}/status/200", "is in a private network" },
        { "http://[fe80::1]:{0}/status/200", "is a link-local address" },
        { "http://169.254.169.254:{0}/status/200", "is a link-local address" },
    };

    [Theory]
    [MemberData(nameof(LoopbackSpellings))]
    public async Task Send_WhenPrivateNetworksAreNotAllowed_RefusesLoopbackBeforeConnecting(string template)
    {
        await using var listener = await TestReceiver.StartAsync();
        using var host = new SenderHost(new Dictionary<string, string?> { ["Webhooks:Delivery:AllowPrivateNetworks"] = "false" });

        var outcome = await host.SendAsync(Target(template, listener.Port));

        Assert.False(outcome.Succeeded);
        Assert.Null(outcome.StatusCode);
        Assert.NotNull(outcome.Error);
        Assert.StartsWith("refused: listener address ", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("is a loopback address", outcome.Error, StringComparison.Ordinal);
        Assert.EndsWith(Hint, outcome.Error, StringComparison.Ordinal);
        Assert.Empty(listener.Requests);
    }

    // The control: the same targets do reach the listener when allowed, so the refusal above is the guard's doing.
    [Theory]
    [MemberData(nameof(LoopbackSpellings))]
    public async Task Send_WhenPrivateNetworksAreAllowed_ReachesLoopback(string template)
    {
        await using var listener = await TestReceiver.StartAsync();
        using var host = new SenderHost(new Dictionary<string, string?> { ["Webhooks:Delivery:AllowPrivateNetworks"] = "true" });

        var outcome = await host.SendAsync(Target(template, listener.Port));

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Single(listener.Requests);
    }

    [Theory]
    [MemberData(nameof(OtherPrivateTargets))]
    public async Task Send_WhenPrivateNetworksAreNotAllowed_RefusesOtherNonPublicTargets(string template, string reason)
    {
        await using var listener = await TestReceiver.StartAsync();
        using var host = new SenderHost(new Dictionary<string, string?> { ["Webhooks:Delivery:AllowPrivateNetworks"] = "false" });

        var outcome = await host.SendAsync(Target(template, listener.Port));

        Assert.Null(outcome.StatusCode);
        Assert.StartsWith("refused: listener address ", outcome.Error, StringComparison.Ordinal);
        Assert.Contains(reason, outcome.Error, StringComparison.Ordinal);
        Assert.Empty(listener.Requests);
    }

    // A DNS name is judged by what it resolves to: any one non-public address refuses the whole name, so a
    // round-robin record cannot smuggle an internal address in beside a public one.
    [Theory]
    [InlineData("127.0.0.1", "is a loopback address")]
    [InlineData("10.20.30.40", "is in a private network")]
    [InlineData("169.254.169.254", "is a link-local address")]
    [InlineData("fd00::1", "is a unique-local address")]
    [InlineData("93.184.216.34,127.0.0.1", "is a loopback address")]
    public async Task Send_ToANameThatResolvesToANonPublicAddress_IsRefused(string addresses, string reason)
    {
        await using var listener = await TestReceiver.StartAsync();
        var resolver = new StaticResolver("hooks.internal.test", [.. addresses.Split(',').Select(IPAddress.Parse)]);
        using var host = new SenderHost(new Dictionary<string, string?> { ["Webhooks:Delivery:AllowPrivateNetworks"] = "false" }, resolver: resolver);

        var outcome = await host.SendAsync(Target("http://hooks.internal.test:{0}/status/200", listener.Port));

        Assert.Contains(reason, outcome.Error, StringComparison.Ordinal);
        Assert.Equal(["hooks.internal.test"], resolver.Asked);
        Assert.Empty(listener.Requests);
    }

    // The control: the same name does reach the listener when allowed, so the hook is what the connector uses.
    [Fact]
    public async Task Send_ToANameThatResolvesToLoopback_WhenAllowed_ReachesIt()
    {
        await using var listener = await TestReceiver.StartAsync();
        var resolver = new StaticResolver("hooks.internal.test", [IPAddress.Loopback]);
        using var host = new SenderHost(new Dictionary<string, string?> { ["Webhooks:Delivery:AllowPrivateNetworks"] = "true" }, resolver: resolver);

        var outcome = await host.SendAsync(Target("http://hooks.internal.test:{0}/status/200", listener.Port));

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Single(listener.Requests);
    }

    [Fact]
    public async Task Send_WhenRefused_NamesTheAddressAndTheSetting()
    {
        using var host = new SenderHost(new Dictionary<string, string?> { ["Webhooks:Delivery:AllowPrivateNetworks"] = "false" });

        var outcome = await host.SendAsync(new Uri("http://10.0.0.5:8080/hook"));

        Assert.Equal($"refused: listener address 10.0.0.5 is in a private network {Hint}", outcome.Error);
    }

    [Fact]
    public async Task Send_WhenRefused_DoesNotCountTowardsTheCircuit()
    {
        using var host = new SenderHost(new Dictionary<string, string?>
        {
            ["Webhooks:Delivery:AllowPrivateNetworks"] = "false",
            ["Webhooks:Delivery:CircuitBreakerFailures"] = "2",
        });

        for (var i = 0; i < 3; i++)
        {
            var outcome = await host.SendAsync(new Uri("http://169.254.169.254/latest/meta-data/"), "wh_a");
            Assert.Equal($"refused: listener address 169.254.169.254 is a link-local address {Hint}", outcome.Error);
        }
    }

    private static Uri Target(string template, int port) =>
        new(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, port));

    /// <summary>Answers one name with fixed addresses, as a DNS record pointing inside the network would.</summary>
    private sealed class StaticResolver(string name, IPAddress[] addresses) : IListenerHostResolver
    {
        public List<string> Asked { get; } = [];

        public ValueTask<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            lock (Asked)
            {
                Asked.Add(host);
            }

            return ValueTask.FromResult(host == name ? addresses : []);
        }
    }
}
