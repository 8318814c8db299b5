using Webhooks.Client;
using Webhooks.Client.Errors;
using Webhooks.Client.Generated;
using Webhooks.Client.Generated.Models;

namespace Webhooks.Api.Tests.Client;

/// <summary>The typed client sends a request again after a 429 or 503, after the wait <c>Retry-After</c> asks for, a bounded number of times.</summary>
public sealed class ClientRetryTests
{
    private const string Unavailable = """{"status":503,"title":"Service Unavailable","errorCode":"StorageUnavailable","detail":"Try again shortly."}""";

    private readonly RecordingTimeProvider _time = new();

    [Fact]
    public async Task A429ThenA503_AreRetriedAfterTheirRetryAfter_InSecondsAndAsADate_ThenTheAnswerIsReturned()
    {
        await using var stub = await StubApi.StartAsync(
            new StubReply(429, RetryAfter: "2"),
            new StubReply(503, RetryAfter: _time.Now.AddSeconds(3).ToString("R"), Body: Unavailable),
            new StubReply(204));
        var client = Create(stub, tenantId: "t_acting_for");

        await client.Api.V1.Account.Webhooks["wh_any"].DeleteAsync();

        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)], _time.Waits);
        Assert.Equal(3, stub.Received.Count);
        Assert.All(stub.Received, r =>
        {
            Assert.Equal(("DELETE", "/api/v1/account/webhooks/wh_any"), (r.Method, r.Path));
            Assert.Equal("Bearer stub-key", r.Authorization);
            Assert.Equal("t_acting_for", r.TenantId);
        });
    }

    [Fact]
    public async Task ARetriedRequest_SendsItsWholeBodyEachTime()
    {
        await using var stub = await StubApi.StartAsync(
            new StubReply(429, RetryAfter: "1"),
            new StubReply(201, Body: """{"id":"wh_new","uri":"https://hooks.example.com/in","subscriptions":["*"]}""", ContentType: "application/json"));
        var client = Create(stub);

        var created = await client.Api.V1.Account.Webhooks.PostAsync(new WebhookRequest { Uri = "https://hooks.example.com/in", Subscriptions = ["*"] });

        Assert.Equal("wh_new", created?.Id);
        Assert.Equal(2, stub.Received.Count);
        Assert.Contains("https://hooks.example.com/in", stub.Received[0].Body, StringComparison.Ordinal);
        Assert.Equal(stub.Received[0].Body, stub.Received[1].Body);
    }

    [Fact]
    public async Task A503ThatLasts_IsSentAtMostMaxAttemptsTimes_ThenThrownWithItsProblem()
    {
        await using var stub = await StubApi.StartAsync(new StubReply(503, RetryAfter: "1", Body: Unavailable));
        var client = Create(stub);

        var error = await Assert.ThrowsAsync<WebhooksApiException>(() => client.Api.V1.Account.Webhooks["wh_any"].DeleteAsync());

        Assert.Equal(3, stub.Received.Count);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)], _time.Waits);
        Assert.Equal(503, error.Status);
        Assert.Equal("StorageUnavailable", error.ErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);
    }

    [Fact]
    public async Task ARetryAfterLongerThanTheLongestWait_IsNotWaitedFor_TheCallerGetsItAtOnce()
    {
        await using var stub = await StubApi.StartAsync(new StubReply(429, RetryAfter: "120"), new StubReply(204));
        var client = Create(stub);

        var error = await Assert.ThrowsAsync<WebhooksApiException>(() => client.Api.V1.Account.Webhooks["wh_any"].DeleteAsync());

        Assert.Single(stub.Received);
        Assert.Empty(_time.Waits);
        Assert.Equal(429, error.Status);
        Assert.Null(error.ErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
    }

    [Fact]
    public async Task OtherErrors_AreNotRetried()
    {
        await using var stub = await StubApi.StartAsync(new StubReply(500, Body: "oops", ContentType: "text/plain"), new StubReply(204));
        var client = Create(stub);

        var error = await Assert.ThrowsAsync<WebhooksApiException>(() => client.Api.V1.Account.Webhooks["wh_any"].DeleteAsync());

        Assert.Single(stub.Received);
        Assert.Equal(500, error.Status);
        Assert.Null(error.Problem);
    }

    private WebhooksApiClient Create(StubApi stub, string? tenantId = null) =>
        WebhooksClientFactory.Create(new WebhooksClientOptions
        {
            BaseAddress = stub.BaseAddress,
            ApiKey = "stub-key",
            TenantId = tenantId,
            MaxAttempts = 3,
            MaxRetryDelay = TimeSpan.FromSeconds(30),
            TimeProvider = _time,
        });
}
