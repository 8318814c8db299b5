using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Webhooks.Client.Generated;
using Webhooks.Client.Generated.Models;

namespace Webhooks.Api.Tests.Infrastructure;

/// <summary>The listener calls the tests repeat, over the compatible <c>api/v1/account/webhooks</c> routes.</summary>
public static partial class WebhooksClient
{
    public const string Route = "api/v1/account/webhooks";

    [GeneratedRegex("^wh_[A-Za-z0-9_-]{22}$")]
    public static partial Regex ListenerId();

    [GeneratedRegex("^t_[A-Za-z0-9_-]{22}$")]
    public static partial Regex TenantId();

    /// <summary>A listener id that has the right shape but was never issued.</summary>
    public static string UnknownListenerId() => "wh_" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static StringContent Body(string uri, params string[] subscriptions) =>
        Json.Raw(JsonSerializer.Serialize(new { uri, subscriptions }));

    /// <summary>Creates a listener and returns the response body, asserting the 201.</summary>
    public static async Task<JsonElement> CreateListenerAsync(this HttpClient client, string uri, params string[] subscriptions)
    {
        using var response = await client.PostAsync(Route, Body(uri, subscriptions));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await Json.ReadObjectAsync(response);
    }

    /// <summary>Creates a listener through the typed client and returns it.</summary>
    public static async Task<CreatedWebhookModel> CreateListenerAsync(this WebhooksApiClient client, string uri, params string[] subscriptions)
    {
        var created = await client.Api.V1.Account.Webhooks.PostAsync(new WebhookRequest { Uri = uri, Subscriptions = [.. subscriptions] });
        Assert.NotNull(created);
        return created;
    }

    public static Task<CreatedWebhookModel> CreateListenerAsync(this WebhooksApiClient client) =>
        client.CreateListenerAsync($"https://hooks.example.com/{Guid.NewGuid():N}", "entitlement.created");

    public static Task<JsonElement> CreateListenerAsync(this HttpClient client) =>
        client.CreateListenerAsync($"https://hooks.example.com/{Guid.NewGuid():N}", "entitlement.created");

    public static async Task<JsonElement> GetListenerAsync(this HttpClient client, string id)
    {
        using var response = await client.GetAsync($"{Route}/{id}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await Json.ReadObjectAsync(response);
    }

    public static async Task<JsonElement> ListAsync(this HttpClient client, string query = "")
    {
        using var response = await client.GetAsync(Route + query);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await Json.ReadObjectAsync(response);
    }

    /// <summary>The tenant's whole list as raw JSON, to prove a rejected request changed nothing.</summary>
    public static async Task<string> SnapshotAsync(this HttpClient client)
    {
        using var response = await client.GetAsync(Route + "?pageSize=100");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public static string[] Ids(this JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(item => item.String("id"))];
}
