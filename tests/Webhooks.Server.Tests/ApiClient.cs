using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Webhooks.Server.Tests;

/// <summary>A thin client for the public API, as a tenant or as the platform.</summary>
internal sealed class ApiClient : IDisposable
{
    public const string DevelopmentPlatformKey = "dev-platform-key";

    private readonly HttpClient _http;

    public ApiClient(Uri address, string key)
    {
        Key = key;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    public string Key { get; }

    public static async Task<(string TenantId, ApiClient Client)> CreateTenantAsync(Uri address, string name)
    {
        using var platform = new ApiClient(address, DevelopmentPlatformKey);
        var tenant = await platform.SendAsync(HttpMethod.Post, "api/v1/tenants", new { name }, HttpStatusCode.Created);
        return (tenant.GetProperty("id").GetString()!, new ApiClient(address, tenant.GetProperty("apiKey").GetString()!));
    }

    public async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        var (status, text) = await SendForStatusAsync(method, path, body);
        if (status != expected)
        {
            throw new HttpRequestException($"{method} {path}: expected {(int)expected}, got {(int)status}: {text}");
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Sends the request and returns whatever status and body came back.</summary>
    public async Task<(HttpStatusCode Status, string Body)> SendForStatusAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _http.Dispose();
}
