using System.Net;
using System.Text.Json;
using Webhooks.Api.Tests.Infrastructure;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Listeners;

/// <summary>
/// <c>maxDeliveriesPerSecond</c> through the API: optional and additive (a Zentitle body without it is a listener with
/// no limit of its own), shown back, and replaced by an update like every field.
/// </summary>
public sealed class ListenerRateLimitApiTests(ApiServer server) : ApiTest(server), IClassFixture<ApiServer>
{
    [Fact]
    public async Task Rate_IsStored_ShownBack_AndReplacedByAnUpdate()
    {
        var tenant = await Server.CreateTenantAsync();

        using var created = await tenant.Client.PostAsync(Route, Json.Raw("""{"uri":"https://hooks.example.com/r","subscriptions":["*"],"maxDeliveriesPerSecond":2.5}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await Json.ReadObjectAsync(created);
        Assert.Equal(2.5, body.GetProperty("maxDeliveriesPerSecond").GetDouble());
        var id = body.String("id");
        Assert.Equal(2.5, (await tenant.Client.GetListenerAsync(id)).GetProperty("maxDeliveriesPerSecond").GetDouble());

        using var updated = await tenant.Client.PutAsync($"{Route}/{id}", Body("https://hooks.example.com/r", "*"));
        Assert.Equal(HttpStatusCode.NoContent, updated.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await tenant.Client.GetListenerAsync(id)).GetProperty("maxDeliveriesPerSecond").ValueKind);
    }

    [Fact]
    public async Task ZentitleBody_WithoutARate_IsAListenerWithNoLimitOfItsOwn()
    {
        var tenant = await Server.CreateTenantAsync();

        var created = await tenant.Client.CreateListenerAsync("https://hooks.example.com/z", "entitlement.created");

        Assert.Equal(JsonValueKind.Null, created.GetProperty("maxDeliveriesPerSecond").ValueKind);
    }
}
