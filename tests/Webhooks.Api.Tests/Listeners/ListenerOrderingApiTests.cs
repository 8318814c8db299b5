using System.Net;
using Webhooks.Api.Tests.Infrastructure;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Listeners;

/// <summary>
/// <c>ordering</c> through the API: optional and additive (a Zentitle body without it is an unordered listener), shown
/// back, and replaced by an update like every field.
/// </summary>
public sealed class ListenerOrderingApiTests(ApiServer server) : ApiTest(server), IClassFixture<ApiServer>
{
    [Theory]
    [InlineData("resource")]
    [InlineData("listener")]
    [InlineData("none")]
    public async Task Ordering_IsStored_ShownBack_AndReplacedByAnUpdate(string ordering)
    {
        var tenant = await Server.CreateTenantAsync();

        using var created = await tenant.Client.PostAsync(Route, Json.Raw($$"""{"uri":"https://hooks.example.com/o","subscriptions":["*"],"ordering":"{{ordering}}"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await Json.ReadObjectAsync(created);
        Assert.Equal(ordering, body.String("ordering"));
        var id = body.String("id");
        Assert.Equal(ordering, (await tenant.Client.GetListenerAsync(id)).String("ordering"));
        Assert.Equal(ordering, (await tenant.Client.ListAsync()).GetProperty("items")[0].String("ordering"));

        using var updated = await tenant.Client.PutAsync($"{Route}/{id}", Body("https://hooks.example.com/o", "*"));
        Assert.Equal(HttpStatusCode.NoContent, updated.StatusCode);
        Assert.Equal("none", (await tenant.Client.GetListenerAsync(id)).String("ordering"));
    }

    [Fact]
    public async Task ZentitleBody_WithoutAnOrdering_IsAnUnorderedListener()
    {
        var tenant = await Server.CreateTenantAsync();

        var created = await tenant.Client.CreateListenerAsync("https://hooks.example.com/z", "entitlement.created");

        Assert.Equal("none", created.String("ordering"));
    }

    [Fact]
    public async Task NullOrdering_IsNone()
    {
        var tenant = await Server.CreateTenantAsync();

        using var created = await tenant.Client.PostAsync(Route, Json.Raw("""{"uri":"https://hooks.example.com/n","subscriptions":["*"],"ordering":null}"""));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("none", (await Json.ReadObjectAsync(created)).String("ordering"));
    }
}
