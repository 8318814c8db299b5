using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Webhooks.Sample.Tests;

/// <summary>
/// A customer of the sample platform: its session cookie lives in <see cref="Cookies"/>, so a client for a restarted
/// platform (a new port) is still signed in, as long as the platform's key ring survived. The dispatcher's API is
/// reached under the platform's prefix.
/// </summary>
internal sealed class PlatformClient(Uri address, CookieContainer cookies) : IDisposable
{
    public const string WebhooksPrefix = "platform/webhooks/api/v1/";

    private readonly HttpClient _http = new(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false })
    {
        BaseAddress = address,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public CookieContainer Cookies => cookies;

    /// <summary>Signs a new customer up (and in); returns its webhooks tenant.</summary>
    public async Task<string> SignUpAsync(string name) =>
        (await SendAsync(HttpMethod.Post, "customers", new { name, password = "correct horse battery" }, HttpStatusCode.Created)).GetProperty("webhooksTenantId").GetString()!;

    public Task<JsonElement> SetSeatsAsync(string entitlementId, int seats) =>
        SendAsync(HttpMethod.Put, $"entitlements/{entitlementId}/seats", new { seats }, HttpStatusCode.OK);

    public Task<JsonElement> GetEntitlementAsync(string entitlementId) =>
        SendAsync(HttpMethod.Get, $"entitlements/{entitlementId}", null, HttpStatusCode.OK);

    /// <summary>Adds a listener through the platform's mount of the management API; returns its id and signing secret.</summary>
    public async Task<(string Id, string Secret)> AddListenerAsync(Uri uri, params string[] subscriptions)
    {
        var created = await SendAsync(HttpMethod.Post, WebhooksPrefix + "account/webhooks", new { uri, subscriptions }, HttpStatusCode.Created);
        return (created.GetProperty("id").GetString()!, created.GetProperty("secret").GetString()!);
    }

    /// <summary>The tenant's public key, to check <c>N-Signature</c>.</summary>
    public async Task<(string Modulus, string Exponent)> CredentialsAsync()
    {
        var credentials = await SendAsync(HttpMethod.Get, WebhooksPrefix + "account/credentials", null, HttpStatusCode.OK);
        return (credentials.GetProperty("publicKeyModulus").GetString()!, credentials.GetProperty("publicKeyExponent").GetString()!);
    }

    /// <summary>The listener's delivery log as the dispatcher recorded it: one entry per event, with its status.</summary>
    public async Task<List<(string EventId, string Status)>> DeliveriesAsync(string listenerId) =>
        [.. (await SendAsync(HttpMethod.Get, WebhooksPrefix + $"account/webhooks/{listenerId}/deliveries?pageSize=100", null, HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray()
            .Select(d => (d.GetProperty("eventId").GetString()!, d.GetProperty("status").GetString()!))];

    public async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new HttpRequestException($"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public void Dispose() => _http.Dispose();
}
