using System.Net;
using System.Text.Json;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Client.Errors;
using Webhooks.Client.Generated.Models;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Listeners;

/// <summary>The compatible add, get, edit and delete of one listener, as a Zentitle client calls them.</summary>
public sealed class WebhookLifecycleTests(ApiServer server) : ApiTest(server), IClassFixture<ApiServer>
{
    [Fact]
    public async Task Create_WithValidRequest_Returns201WithLocationAndWebhookModel()
    {
        var tenant = await Server.CreateTenantAsync();

        using var response = await tenant.Client.PostAsync(Route, Body("https://hooks.example.com/zentitle", "entitlement.created", "customer.updated"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await Json.ReadObjectAsync(response);
        var id = body.String("id");
        Assert.Matches(ListenerId(), id);
        Assert.Equal("https://hooks.example.com/zentitle", body.String("uri"));
        Assert.Equal(["entitlement.created", "customer.updated"], body.GetProperty("subscriptions").Strings());
        Assert.Equal($"/{Route}/{id}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Create_ThenGetLocation_ReturnsTheSameListener()
    {
        var tenant = await Server.CreateTenantAsync();
        using var created = await tenant.Client.PostAsync(Route, Body("https://hooks.example.com/a", "entitlement.seat.activated"));
        var model = await Json.ReadObjectAsync(created);

        using var response = await tenant.Client.GetAsync(created.Headers.Location);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fetched = await Json.ReadObjectAsync(response);
        Assert.Equal(model.String("id"), fetched.String("id"));
        Assert.Equal("https://hooks.example.com/a", fetched.String("uri"));
        Assert.Equal(["entitlement.seat.activated"], fetched.GetProperty("subscriptions").Strings());
    }

    [Fact]
    public async Task Create_EachCall_IssuesADistinctId()
    {
        var tenant = await Server.CreateTenantAsync();

        var first = await tenant.Api.CreateListenerAsync();
        var second = await tenant.Api.CreateListenerAsync();

        Assert.Matches(ListenerId(), first.Id);
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public async Task Create_WithWildcardSubscription_IsAccepted()
    {
        var tenant = await Server.CreateTenantAsync();

        var created = await tenant.Client.CreateListenerAsync("https://hooks.example.com/all", "*");

        Assert.Equal(["*"], created.GetProperty("subscriptions").Strings());
        Assert.Equal(["*"], (await tenant.Client.GetListenerAsync(created.String("id"))).GetProperty("subscriptions").Strings());
    }

    [Fact]
    public async Task Create_WithDuplicateCodes_StoresEachCodeOnce()
    {
        var tenant = await Server.CreateTenantAsync();

        var created = await tenant.Client.CreateListenerAsync(
            "https://hooks.example.com/dup", "entitlement.created", "customer.created", "entitlement.created", "customer.created");

        Assert.Equal(["entitlement.created", "customer.created"], created.GetProperty("subscriptions").Strings());
        var fetched = await tenant.Client.GetListenerAsync(created.String("id"));
        Assert.Equal(["entitlement.created", "customer.created"], fetched.GetProperty("subscriptions").Strings());
    }

    [Fact]
    public async Task Create_WithoutDescription_Returns201()
    {
        var tenant = await Server.CreateTenantAsync();

        using var response = await tenant.Client.PostAsync(Route, Json.Raw("""{"uri":"https://hooks.example.com/plain","subscriptions":["customer.created"]}"""));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await Json.ReadObjectAsync(response);
        Assert.True(!body.TryGetProperty("description", out var description) || description.ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task Create_WithDescription_ReturnsIt()
    {
        var tenant = await Server.CreateTenantAsync();

        using var response = await tenant.Client.PostAsync(Route,
            Json.Raw("""{"uri":"https://hooks.example.com/d","subscriptions":["customer.created"],"description":"CRM sync"}"""));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("CRM sync", (await Json.ReadObjectAsync(response)).String("description"));
    }

    [Fact]
    public async Task Create_WithUriOfExactly2048Characters_IsAccepted()
    {
        var tenant = await Server.CreateTenantAsync();
        var uri = "https://hooks.example.com/" + new string('a', 2048 - "https://hooks.example.com/".Length);

        var created = await tenant.Client.CreateListenerAsync(uri, "customer.created");

        Assert.Equal(uri, created.String("uri"));
    }

    [Fact]
    public async Task Get_OfExistingListener_Returns200WithWebhookModel()
    {
        var tenant = await Server.CreateTenantAsync();
        var created = await tenant.Client.CreateListenerAsync("https://hooks.example.com/get", "entitlement.group.created");

        using var response = await tenant.Client.GetAsync($"{Route}/{created.String("id")}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await Json.ReadObjectAsync(response);
        Assert.Equal(created.String("id"), body.String("id"));
        Assert.Equal("https://hooks.example.com/get", body.String("uri"));
        Assert.Equal(["entitlement.group.created"], body.GetProperty("subscriptions").Strings());
    }

    [Fact]
    public async Task Update_OfExistingListener_Returns204AndLaterGetShowsTheChange()
    {
        var tenant = await Server.CreateTenantAsync();
        var listeners = tenant.Api.Api.V1.Account.Webhooks;
        var id = (await tenant.Api.CreateListenerAsync("https://hooks.example.com/before", "entitlement.created")).Id!;
        var before = await listeners[id].GetAsync();

        await listeners[id].PutAsync(new WebhookRequest { Uri = "https://hooks.example.com/after", Subscriptions = ["customer.created", "entitlement.renewed"] });

        var after = await listeners[id].GetAsync();
        Assert.Equal(id, after?.Id);
        Assert.Equal("https://hooks.example.com/after", after?.Uri);
        Assert.Equal(["customer.created", "entitlement.renewed"], after?.Subscriptions);
        Assert.Equal(before?.CreatedAt, after?.CreatedAt);
        Assert.True(after?.UpdatedAt > before?.UpdatedAt);
    }

    [Fact]
    public async Task Update_WithDuplicateCodes_StoresEachCodeOnce()
    {
        var tenant = await Server.CreateTenantAsync();
        var id = (await tenant.Client.CreateListenerAsync()).String("id");

        using var response = await tenant.Client.PutAsync($"{Route}/{id}", Body("https://hooks.example.com/x", "*", "*"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(["*"], (await tenant.Client.GetListenerAsync(id)).GetProperty("subscriptions").Strings());
    }

    [Fact]
    public async Task Update_DoesNotChangeTheListenersPlaceInTheList()
    {
        var tenant = await Server.CreateTenantAsync();
        var first = (await tenant.Client.CreateListenerAsync()).String("id");
        var second = (await tenant.Client.CreateListenerAsync()).String("id");

        using var response = await tenant.Client.PutAsync($"{Route}/{first}", Body("https://hooks.example.com/moved", "*"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal([first, second], (await tenant.Client.ListAsync()).Ids());
    }

    [Fact]
    public async Task Delete_OfExistingListener_Returns204ThenGetReturns404AndListOmitsIt()
    {
        var tenant = await Server.CreateTenantAsync();
        var listeners = tenant.Api.Api.V1.Account.Webhooks;
        var kept = (await tenant.Api.CreateListenerAsync()).Id!;
        var deleted = (await tenant.Api.CreateListenerAsync()).Id!;

        await listeners[deleted].DeleteAsync();

        var get = await Assert.ThrowsAsync<WebhooksApiException>(() => listeners[deleted].GetAsync());
        Assert.Equal((404, "NotFound"), (get.Status, get.ErrorCode));
        var list = await listeners.GetAsync();
        Assert.Equal([kept], list?.Items?.Select(l => l.Id));
        Assert.Equal(1, list?.ElementsTotal);
    }

    [Fact]
    public async Task Delete_Twice_Returns404TheSecondTime()
    {
        var tenant = await Server.CreateTenantAsync();
        var id = (await tenant.Client.CreateListenerAsync()).String("id");
        using var first = await tenant.Client.DeleteAsync($"{Route}/{id}");
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);

        using var second = await tenant.Client.DeleteAsync($"{Route}/{id}");

        await Problems.AssertProblemAsync(second, HttpStatusCode.NotFound, "NotFound");
    }

    [Fact]
    public async Task Update_OfDeletedListener_Returns404AndDoesNotResurrectIt()
    {
        var tenant = await Server.CreateTenantAsync();
        var id = (await tenant.Client.CreateListenerAsync()).String("id");
        using var delete = await tenant.Client.DeleteAsync($"{Route}/{id}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);

        using var response = await tenant.Client.PutAsync($"{Route}/{id}", Body("https://hooks.example.com/zombie", "*"));

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "NotFound");
        using var get = await tenant.Client.GetAsync($"{Route}/{id}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(0, (await tenant.Client.ListAsync()).Int("elementsTotal"));
    }
}
