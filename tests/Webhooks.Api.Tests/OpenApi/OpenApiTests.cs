using System.Net;
using System.Text.Json;
using Webhooks.Api.Tests.Infrastructure;

namespace Webhooks.Api.Tests.OpenApi;

/// <summary>The API describes itself: an OpenAPI document with every endpoint, and a browsable reference.</summary>
public sealed class OpenApiTests(ApiServer server) : ApiTest(server), IClassFixture<ApiServer>
{
    public static TheoryData<string, string> Operations => new()
    {
        { "/api/v1/account/webhooks", "post" },
        { "/api/v1/account/webhooks", "get" },
        { "/api/v1/account/webhooks/{webhookListenerId}", "get" },
        { "/api/v1/account/webhooks/{webhookListenerId}", "put" },
        { "/api/v1/account/webhooks/{webhookListenerId}", "delete" },
        { "/api/v1/account/webhooks/events", "get" },
        { "/api/v1/tenants", "post" },
        { "/api/v1/tenants/{tenantId}", "get" },
        { "/api/v1/tenants/{tenantId}", "delete" },
        { "/api/v1/tenants/{tenantId}/keys", "post" },
        { "/api/v1/tenants/{tenantId}/keys", "get" },
        { "/api/v1/tenants/{tenantId}/keys/{keyId}", "delete" },
        { "/api/v1/events", "post" },
        { "/api/v1/events", "get" },
        { "/api/v1/events/{eventId}", "get" },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task OpenApiDocument_DescribesEveryEndpoint(string path, string method)
    {
        using var client = Server.CreateClient();

        using var response = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var document = await Json.ReadObjectAsync(response);
        Assert.StartsWith("3.", document.String("openapi"), StringComparison.Ordinal);
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty(path, out var item), $"The document has no path {path}.");
        Assert.True(item.TryGetProperty(method, out var operation), $"{path} has no {method} operation.");
        Assert.Equal(JsonValueKind.Object, operation.ValueKind);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheEventsFeedsParameters_AndItsErrors()
    {
        using var client = Server.CreateClient();
        using var response = await client.GetAsync("/openapi/v1.json");
        var paths = (await Json.ReadObjectAsync(response)).GetProperty("paths");

        var feed = paths.GetProperty("/api/v1/events").GetProperty("get");
        Assert.Equal(["after", "eventCode", "limit", "resourceId"], feed.GetProperty("parameters").EnumerateArray().Select(p => p.String("name")).Order(StringComparer.Ordinal));
        Assert.True(feed.GetProperty("responses").TryGetProperty("400", out _), "The feed documents its 400.");
        Assert.True(paths.GetProperty("/api/v1/events/{eventId}").GetProperty("get").GetProperty("responses").TryGetProperty("404", out _), "The event documents its 404.");
    }

    [Fact]
    public async Task OpenApiDocument_EveryApiOperation_HasANameSummaryTag_AndDocuments401And429()
    {
        using var client = Server.CreateClient();

        using var response = await client.GetAsync("/openapi/v1.json");

        var document = await Json.ReadObjectAsync(response);
        var operations = document.GetProperty("paths").EnumerateObject()
            .Where(path => path.Name.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Name: $"{op.Name} {path.Name}", Operation: op.Value)))
            .ToArray();
        Assert.NotEmpty(operations);
        Assert.All(operations, op =>
        {
            Assert.False(string.IsNullOrEmpty(op.Operation.String("operationId")), op.Name);
            Assert.False(string.IsNullOrEmpty(op.Operation.String("summary")), op.Name);
            Assert.NotEmpty(op.Operation.GetProperty("tags").EnumerateArray());
            var responses = op.Operation.GetProperty("responses");
            Assert.True(responses.TryGetProperty("401", out _), $"{op.Name} does not document 401.");
            Assert.True(responses.TryGetProperty("429", out _), $"{op.Name} does not document 429.");
        });
    }

    [Fact]
    public async Task OpenApiDocument_DeclaresTheBearerScheme()
    {
        using var client = Server.CreateClient();

        using var response = await client.GetAsync("/openapi/v1.json");

        var document = await Json.ReadObjectAsync(response);
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.String("type"));
        Assert.Equal("bearer", scheme.String("scheme"));
    }

    [Theory]
    [InlineData("/openapi/v2.json")]
    [InlineData("/openapi/x.json")]
    public async Task UnknownOpenApiDocument_Returns404Problem(string path)
    {
        using var client = Server.CreateClient();

        using var response = await client.GetAsync(path);

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ApiReference_AtScalar_Returns200Html()
    {
        using var client = Server.CreateClient();

        // Scalar answers /scalar with a redirect to /scalar/ so its relative asset paths resolve; a browser follows it.
        using var redirect = await client.GetAsync("/scalar");
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        var page = new Uri(new Uri(Server.BaseAddress, "/scalar"), redirect.Headers.Location!);
        Assert.Equal("/scalar/", page.AbsolutePath);
        using var response = await client.GetAsync(page);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("openapi/v1.json", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_ServesTheWebPage()
    {
        using var client = Server.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/js/app.js", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
