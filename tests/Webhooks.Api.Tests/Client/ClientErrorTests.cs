using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Api.Tests.Limits;
using Webhooks.Client.Errors;
using Webhooks.Client.Generated.Models;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Client;

/// <summary>Every error the typed client meets is one <see cref="WebhooksApiException"/>, read from the problem body.</summary>
public sealed class ClientErrorTests(ApiServer server) : ApiTest(server), IClassFixture<ApiServer>
{
    [Fact]
    public async Task CreateListener_WithInvalidFields_Throws422_WithValidationFailedAndAnErrorPerField()
    {
        var tenant = await Server.CreateTenantAsync();

        var error = await Assert.ThrowsAsync<WebhooksApiException>(() => tenant.Api.Api.V1.Account.Webhooks.PostAsync(
            new WebhookRequest { Uri = "ftp://hooks.example.com/in", Subscriptions = [] }));

        Assert.Equal(422, error.Status);
        Assert.Equal("ValidationFailed", error.ErrorCode);
        Assert.Equal(["subscriptions", "uri"], error.ValidationErrors.Select(e => e.PropertyName).Order(StringComparer.Ordinal));
        Assert.All(error.ValidationErrors, e => Assert.False(string.IsNullOrWhiteSpace(e.ErrorMessage)));
        Assert.False(string.IsNullOrEmpty(error.TraceId));
        Assert.Equal(0, (await tenant.Api.Api.V1.Account.Webhooks.GetAsync())!.ElementsTotal);
    }

    [Fact]
    public async Task GetListener_ThatDoesNotExist_Throws404_WithNotFound_AndNoValidationErrors()
    {
        var tenant = await Server.CreateTenantAsync();

        var error = await Assert.ThrowsAsync<WebhooksApiException>(() => tenant.Api.Api.V1.Account.Webhooks[UnknownListenerId()].GetAsync());

        Assert.Equal(404, error.Status);
        Assert.Equal("NotFound", error.ErrorCode);
        Assert.Empty(error.ValidationErrors);
        Assert.Equal(error.Detail, error.Problem?.Details);
    }

    [Fact]
    public async Task AnyOperation_WithAnUnknownKey_Throws401()
    {
        var stranger = Server.CreateApiClient("wk.t_unknown.not-a-key");

        var error = await Assert.ThrowsAsync<WebhooksApiException>(() => stranger.Api.V1.Account.Webhooks.GetAsync());

        Assert.Equal(401, error.Status);
        Assert.False(string.IsNullOrEmpty(error.ErrorCode));
    }
}

/// <summary>The 409 of a tenant at its listener limit reaches the typed client's caller with its code.</summary>
public sealed class ClientConflictTests(LimitedServer server) : ApiTest(server), IClassFixture<LimitedServer>
{
    [Fact]
    public async Task CreateListener_PastTheTenantsLimit_Throws409_WithListenerLimitReached()
    {
        var tenant = await Server.CreateTenantAsync();
        var listeners = tenant.Api.Api.V1.Account.Webhooks;
        for (var i = 0; i < LimitedServer.MaxListeners; i++)
        {
            await listeners.PostAsync(new WebhookRequest { Uri = $"https://hooks.example.com/{i}", Subscriptions = ["*"] });
        }

        var error = await Assert.ThrowsAsync<WebhooksApiException>(() =>
            listeners.PostAsync(new WebhookRequest { Uri = "https://hooks.example.com/over", Subscriptions = ["*"] }));

        Assert.Equal(409, error.Status);
        Assert.Equal("ListenerLimitReached", error.ErrorCode);
        Assert.Contains("MaxListenersPerTenant", error.Detail, StringComparison.Ordinal);
        Assert.Equal(LimitedServer.MaxListeners, (await listeners.GetAsync())!.ElementsTotal);
    }
}
