using System.Text;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Grains.Delivery;
using Webhooks.Testing;

namespace Webhooks.Grains.Tests.Delivery.Http;

/// <summary>What the sender sends, and what it makes of each kind of answer.</summary>
public sealed class HttpDeliverySenderTests
{
    [Fact]
    public async Task Send_WhenListenerAnswers200_SucceedsWithStatusAndBody()
    {
        await using var listener = await TestReceiver.StartAsync();
        using var host = new SenderHost();

        var outcome = await host.SendAsync(listener.Status(200));

        Assert.True(outcome.Succeeded);
        Assert.Equal(200, outcome.StatusCode);
        Assert.Null(outcome.Error);
        Assert.Equal("status 200", outcome.ResponseBody);
        Assert.Null(outcome.RetryAfter);
        Assert.True(outcome.Duration > TimeSpan.Zero);
    }

    [Fact]
    public async Task Send_WhenListenerAnswers204_SucceedsWithNoBody()
    {
        await using var listener = await TestReceiver.StartAsync();
        using var host = new SenderHost();

        var outcome = await host.SendAsync(listener.Status(204));

        Assert.True(outcome.Succeeded);
        Assert.Equal(204, outcome.StatusCode);
        Assert.Null(outcome.ResponseBody);
    }

    [Fact]
    public async Task Send_PostsTheExactBodyBytesWithContentTypeUserAgentAndHeaders()
    {
        await using var listener = await TestReceiver.StartAsync();
        using var host = new SenderHost(new Dictionary<string, string?> { ["Webhooks:Delivery:UserAgent"] = "Test-Agent/2.0" });
        var body = Encoding.UTF8.GetBytes("{ \"eventId\" : \"evt_1\",\n\t\"payload\": {\"name\":\"Zoë ✓\"} }");
        KeyValuePair<string, string>[] headers =
        [
            new("N-Signature", "c2lnbmF0dXJl+/=="),
            new("webhook-id", "evt_1"),
            new("webhook-timestamp", "1700000000"),
            new("webhook-signature", "v1,abc= v1,def="),
        ];

        var outcome = await host.Sender.SendAsync(new DeliveryRequest("wh_1", listener.Status(200), body, headers), CancellationToken.None);

        Assert.True(outcome.Succeeded);
        var received = Assert.Single(listener.Requests);
        Assert.Equal("POST", received.Method);
        Assert.Equal(body, received.Body);
        Assert.Equal("application/json", received.Headers["Content-Type"]);
        Assert.Equal("Test-Agent/2.0", received.Headers["User-Agent"]);
        foreach (var (name, value) in headers)
        {
            Assert.Equal(value, received.Headers[name]);
        }
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(400)]
    [InlineData(410)]
    public async Task Send_WhenListenerAnswersAnError_FailsWithItsStatusAndBody(int status)
    {
        await using var listener = await TestReceiver.StartAsync();
        using var host = new SenderHost();

        var outcome = await host.SendAsync(listener.Status(status));

        Assert.False(outcome.Succeeded);
        Assert.Equal(status, outcome.StatusCode);
        Assert.Equal($"status {status}", outcome.ResponseBody);
        Assert.Null(outcome.RetryAfter);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task Send_WhenListenerAsksToRetryAfterSeconds_ReportsRetryAfter(int status)
    {
        await using var listener = await TestReceiver.StartAsync();
        using var host = new SenderHost();

        var outcome = await host.SendAsync(listener.Status(status, retryAfter: "120"));

        Assert.False(outcome.Succeeded);
        Assert.Equal(status, outcome.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(120), outcome.RetryAfter);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task Send_WhenListenerAsksToRetryAfterADate_ReportsTheWaitUntilThen(int status)
    {
        await using var listener = await TestReceiver.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 10, 21, 7, 0, 0, TimeSpan.Zero));
        using var host = new SenderHost(time: time);

        var outcome = await host.SendAsync(listener.Status(status, retryAfter: "Wed, 21 Oct 2026 07:28:00 GMT"));

        Assert.Equal(status, outcome.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(28), outcome.RetryAfter);
    }

    [Fact]
    public async Task Send_WhenRetryAfterDateIsPast_ReportsNoWait()
    {
        await using var listener = await TestReceiver.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 10, 21, 8, 0, 0, TimeSpan.Zero));
        using var host = new SenderHost(time: time);

        var outcome = await host.SendAsync(listener.Status(429, retryAfter: "Wed, 21 Oct 2026 07:28:00 GMT"));

        Assert.Equal(TimeSpan.Zero, outcome.RetryAfter);
    }

    [Fact]
    public async Task Send_WhenRetryAfterComesWithAnotherStatus_IgnoresIt()
    {
        await using var listener = await TestReceiver.StartAsync();
        using var host = new SenderHost();

        var outcome = await host.SendAsync(listener.Status(500, retryAfter: "120"));

        Assert.Equal(500, outcome.StatusCode);
        Assert.Null(outcome.RetryAfter);
    }

    [Fact]
    public async Task Send_WhenListenerRedirects_DoesNotFollow()
    {
        await using var listener = await TestReceiver.StartAsync();
        using var host = new SenderHost();

        var outcome = await host.SendAsync(listener.Redirect);

        Assert.False(outcome.Succeeded);
        Assert.Equal(302, outcome.StatusCode);
        Assert.Equal("redirect to /redirected not followed", outcome.Error);
        Assert.Equal(["/redirect"], listener.Requests.Select(r => r.Path));
    }
}
