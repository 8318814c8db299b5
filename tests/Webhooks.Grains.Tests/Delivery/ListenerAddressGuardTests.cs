namespace Webhooks.Delivery.Http;

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
    ];

    [Theory]
    [MemberData(nameof(LoopbackSpellings))]
    public async Task Send_WhenPrivateNetworksAreNotAllowed_RefusesLoopbackBeforeConnecting(string template)
    {
        await using var listener = await FaultyListener.StartAsync();
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
        await using var listener = await FaultyListener.StartAsync();
        using var host = new SenderHost(new Dictionary<string, string?> { ["Webhooks:Delivery:AllowPrivateNetworks"] = "true" });

        var outcome = await host.SendAsync(Target(template, listener.Port));

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
}
