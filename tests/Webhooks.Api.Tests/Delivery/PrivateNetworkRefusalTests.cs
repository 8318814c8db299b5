using System.Globalization;
using System.Net;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Testing;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>With private networks not allowed, a listener on loopback is refused at send time, recorded as a failed attempt, and never reached.</summary>
public sealed class PrivateNetworkRefusalTests(PrivateNetworksRefusedServer server) : ApiTest(server), IClassFixture<PrivateNetworksRefusedServer>
{
    /// <summary>
    /// Every way of writing an internal target that a URI parser accepts, with the port of a real loopback listener:
    /// decimal and octal IPv4, IPv6 loopback and IPv4-mapped, localhost names, cloud metadata, private, link-local,
    /// the unspecified address (which reaches this host on Linux), and a DNS name that resolves to loopback.
    /// </summary>
    public static TheoryData<string, string> InternalTargets => new()
    {
        { "http://2130706433:{0}", "127.0.0.1 is a loopback address" },
        { "http://0177.0.0.1:{0}", "127.0.0.1 is a loopback address" },
        { "http://[::1]:{0}", "::1 is a loopback address" },
        { "http://[::ffff:127.0.0.1]:{0}", "is a loopback address" },
        { "http://localhost:{0}", "is a loopback address" },
        { "http://foo.localhost:{0}", "is a loopback address" },
        { "http://169.254.169.254:{0}", "169.254.169.254 is a link-local address" },
        { "http://10.0.0.1:{0}", "10.0.0.1 is in a private network" },
        { "http://[fe80::1]:{0}", "fe80::1 is a link-local address" },
        { "http://0.0.0.0:{0}", "0.0.0.0 is the unspecified address" },
        { $"http://{PrivateNetworksRefusedServer.InternalHost}:{{0}}", "127.0.0.1 is a loopback address" },
    };

    [Theory]
    [MemberData(nameof(InternalTargets))]
    public async Task TestEvent_ToAnInternalTarget_IsRefusedAndRecordedAsRefused_AndNothingReachesTheListener(string authority, string reason)
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint();
        var target = string.Format(CultureInfo.InvariantCulture, authority, endpoint.Uri.Port) + endpoint.Uri.PathAndQuery;
        var tenant = await Server.CreateTenantAsync("Internal");
        var id = (await tenant.Client.CreateListenerAsync(target, "*")).String("id");

        using var test = await tenant.Client.PostAsync($"{Route}/{id}/test", null);

        Assert.Equal(HttpStatusCode.NoContent, test.StatusCode);
        var testEvent = (await tenant.Client.DeliveriesAsync(id)).GetProperty("items").EnumerateArray().Single().String("eventId");
        var failed = await tenant.Client.WaitForStatusAsync(id, testEvent, "failed");
        var attempt = Assert.Single(failed.Attempts());
        Assert.Null(attempt.StatusCode());
        Assert.StartsWith("refused: listener address ", attempt.String("error"), StringComparison.Ordinal);
        Assert.Contains(reason, attempt.String("error"), StringComparison.Ordinal);
        Assert.Empty(endpoint.Received);
    }

    [Fact]
    public async Task Publish_ToALoopbackListener_IsRefusedAndRecorded_AndNothingReachesIt()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint();
        Assert.Equal("127.0.0.1", endpoint.Uri.Host);
        var tenant = await Server.CreateTenantAsync("Internal");
        var id = (await tenant.Client.CreateListenerAsync(endpoint.Uri.ToString(), "*")).String("id");

        var (eventId, matched) = await tenant.Client.PublishAsync("entitlement.created");
        using var test = await tenant.Client.PostAsync($"{Route}/{id}/test", null);

        Assert.Equal(1, matched);
        Assert.Equal(HttpStatusCode.NoContent, test.StatusCode);
        var failed = await tenant.Client.WaitForStatusAsync(id, eventId, "failed");
        Assert.Equal(DeliveryServer.Schedule.Length + 1, failed.Attempts().Length);
        Assert.All(failed.Attempts(), attempt =>
        {
            Assert.Null(attempt.StatusCode());
            Assert.Contains("refused", attempt.String("error"), StringComparison.Ordinal);
            Assert.Contains("127.0.0.1", attempt.String("error"), StringComparison.Ordinal);
        });
        var testEvent = (await tenant.Client.DeliveriesAsync(id)).GetProperty("items").EnumerateArray()
            .Single(d => d.String("eventCode") == "webhook.test").String("eventId");
        var testFailed = await tenant.Client.WaitForStatusAsync(id, testEvent, "failed");
        Assert.Contains("refused", Assert.Single(testFailed.Attempts()).String("error"), StringComparison.Ordinal);
        Assert.Empty(endpoint.Received);
    }
}
