using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Webhooks.Api.Tests.Infrastructure;

namespace Webhooks.Api.Tests.OpenApi;

/// <summary>
/// The document says exactly what the server does: which fields are required and which may be null, numbers as
/// numbers, payloads as any JSON value, every status an operation answers, one problem schema that matches the
/// problems actually served, and an example for every body.
/// </summary>
public sealed class OpenApiPrecisionTests(ApiServer server) : ApiTest(server), IClassFixture<ApiServer>
{
    private const string ProblemReference = "#/components/schemas/Problem";

    /// <summary>What any tenant endpoint can answer whatever it does: a bad or missing N-TenantId, a refused key, no such tenant, the limiter, storage away.</summary>
    private static readonly int[] TenantCaller = [400, 401, 403, 404, 429, 503];

    /// <summary>What any platform endpoint can answer whatever it does.</summary>
    private static readonly int[] PlatformCaller = [401, 403, 429, 503];

    /// <summary>What a JSON body adds: unreadable (400), too large (413), not JSON (415).</summary>
    private static readonly int[] Body = [400, 413, 415];

    public static TheoryData<string, int[]> Statuses => new()
    {
        { "get /api/v1/account/webhooks/events", [200, .. TenantCaller] },
        { "post /api/v1/account/webhooks", [201, 409, 422, .. Body, .. TenantCaller] },
        { "get /api/v1/account/webhooks", [200, 422, .. TenantCaller] },
        { "get /api/v1/account/webhooks/{webhookListenerId}", [200, .. TenantCaller] },
        { "put /api/v1/account/webhooks/{webhookListenerId}", [204, 422, .. Body, .. TenantCaller] },
        { "delete /api/v1/account/webhooks/{webhookListenerId}", [204, .. TenantCaller] },
        { "post /api/v1/account/webhooks/{webhookListenerId}/test", [200, 202, 204, .. TenantCaller] },
        { "get /api/v1/account/webhooks/{webhookListenerId}/deliveries", [200, 422, .. TenantCaller] },
        { "get /api/v1/account/webhooks/{webhookListenerId}/stats", [200, .. TenantCaller] },
        { "post /api/v1/account/webhooks/{webhookListenerId}/deliveries/{eventId}/redeliver", [202, .. TenantCaller] },
        { "post /api/v1/account/webhooks/{webhookListenerId}/recover", [202, 422, .. Body, .. TenantCaller] },
        { "post /api/v1/account/webhooks/recover", [202, 422, .. Body, .. TenantCaller] },
        { "post /api/v1/account/webhooks/{webhookListenerId}/secret/rotate", [200, .. TenantCaller] },
        { "post /api/v1/account/webhooks/{webhookListenerId}/enable", [200, .. Body, .. TenantCaller] },
        { "post /api/v1/account/webhooks/{webhookListenerId}/disable", [200, .. TenantCaller] },
        { "get /api/v1/account/credentials", [200, .. TenantCaller] },
        { "post /api/v1/account/credentials/rotate", [200, .. Body, .. TenantCaller] },
        { "get /.well-known/webhooks/{tenantId}/jwks.json", [200, 304, 404, 503] },
        { "post /api/v1/events", [202, 422, .. Body, .. TenantCaller] },
        { "get /api/v1/events", [200, .. TenantCaller] },
        { "get /api/v1/events/{eventId}", [200, .. TenantCaller] },
        { "post /api/v1/tenants", [201, 409, 422, .. Body, .. PlatformCaller] },
        { "get /api/v1/tenants/{tenantId}", [200, 404, .. PlatformCaller] },
        { "delete /api/v1/tenants/{tenantId}", [202, 404, .. PlatformCaller] },
        { "post /api/v1/tenants/{tenantId}/keys", [201, 404, 422, .. Body, .. PlatformCaller] },
        { "get /api/v1/tenants/{tenantId}/keys", [200, 404, .. PlatformCaller] },
        { "delete /api/v1/tenants/{tenantId}/keys/{keyId}", [204, 404, .. PlatformCaller] },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public async Task EveryOperation_DocumentsExactlyTheStatusesItCanAnswer(string operation, int[] statuses)
    {
        var document = await ReadDocumentAsync();

        var responses = Operation(document, operation).GetProperty("responses");

        Assert.Equal(statuses.Distinct().Order(), responses.EnumerateObject().Select(r => int.Parse(r.Name, System.Globalization.CultureInfo.InvariantCulture)).Order());
    }

    [Fact]
    public async Task TheDocument_ListsEveryApiOperationInTheStatusTable()
    {
        var document = await ReadDocumentAsync();

        var documented = Operations(document).Select(o => o.Name).Order(StringComparer.Ordinal);

        Assert.Equal(Statuses.Select(row => (string)row[0]).Order(StringComparer.Ordinal), documented);
    }

    [Fact]
    public async Task EveryErrorResponse_UsesTheOneProblemSchema_WithAnExampleOfItsStatus()
    {
        var document = await ReadDocumentAsync();

        foreach (var (name, operation) in Operations(document))
        {
            foreach (var response in operation.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] is '4' or '5'))
            {
                var content = response.Value.GetProperty("content");
                Assert.Equal(["application/problem+json"], content.EnumerateObject().Select(c => c.Name));
                var media = content.GetProperty("application/problem+json");
                Assert.Equal(ProblemReference, media.GetProperty("schema").String("$ref"));
                Assert.Equal(int.Parse(response.Name, System.Globalization.CultureInfo.InvariantCulture), media.GetProperty("example").Int("status"));
            }
        }

        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.False(schemas.TryGetProperty("ProblemDetails", out _), "The framework's ProblemDetails schema is still in the document.");
        Assert.False(schemas.TryGetProperty("HttpValidationProblemDetails", out _), "The framework's HttpValidationProblemDetails schema is still in the document.");
    }

    [Fact]
    public async Task ProblemSchema_CarriesTheCompatibleErrorFields_WithAnIntegerStatus()
    {
        var problem = Schema(await ReadDocumentAsync(), "Problem");

        Assert.Equal(
            ["detail", "details", "error", "errorCode", "status", "title", "traceId", "validationErrors"],
            problem.GetProperty("required").Strings().Order(StringComparer.Ordinal));
        var properties = problem.GetProperty("properties");
        Assert.Equal("integer", properties.GetProperty("status").String("type"));
        Assert.False(properties.GetProperty("status").TryGetProperty("pattern", out _));
        var entry = properties.GetProperty("validationErrors").GetProperty("items");
        Assert.Equal(["errorMessage", "propertyName"], entry.GetProperty("required").Strings().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ServedProblems_HaveEveryFieldTheProblemSchemaRequires_OfItsType()
    {
        var problem = Schema(await ReadDocumentAsync(), "Problem");
        var tenant = await Server.CreateTenantAsync();
        using var anonymous = Server.CreateClient();

        using var unauthorized = await anonymous.GetAsync("api/v1/account/webhooks");
        using var notFound = await tenant.Client.GetAsync("api/v1/account/webhooks/wh_AAAAAAAAAAAAAAAAAAAAAA");
        using var invalid = await tenant.Client.PostAsJsonAsync("api/v1/account/webhooks", new { uri = "not a uri", subscriptions = new[] { "customer.created" } });
        using var notJson = await tenant.Client.PostAsync("api/v1/account/webhooks", new StringContent("uri=x", Encoding.UTF8, "text/plain"));
        using var malformed = await tenant.Client.PostAsync("api/v1/account/webhooks", Json.Raw("{\"uri\":"));

        foreach (var (response, status) in new[] { (unauthorized, 401), (notFound, 404), (invalid, 422), (notJson, 415), (malformed, 400) })
        {
            Assert.Equal(status, (int)response.StatusCode);
            var body = await Json.ReadObjectAsync(response);
            AssertConforms(problem, body, $"the {status} problem");
        }
    }

    [Theory]
    [InlineData("PublishEventRequest", new[] { "eventCode", "resourceId" })]
    [InlineData("WebhookRequest", new[] { "subscriptions", "uri" })]
    [InlineData("CreateTenantRequest", new[] { "name" })]
    [InlineData("RecoverRequest", new[] { "since" })]
    [InlineData("CreateApiKeyRequest", new string[0])]
    [InlineData("EnableRequest", new string[0])]
    [InlineData("RotateCredentialsRequest", new string[0])]
    public async Task RequestBodies_RequireWhatTheServerRequires_AndNeverAllowNullThere(string schemaName, string[] required)
    {
        var schema = Schema(await ReadDocumentAsync(), schemaName);

        var documented = schema.TryGetProperty("required", out var list) ? list.Strings() : [];

        Assert.Equal(required, documented.Order(StringComparer.Ordinal));
        foreach (var name in required)
        {
            Assert.False(AllowsNull(schema.GetProperty("properties").GetProperty(name)), $"{schemaName}.{name} is required, yet typed as nullable.");
        }
    }

    [Fact]
    public async Task WebhookRequest_DocumentsTheCompatibleRules_AtLeastOneSubscription_NeverNull_AndAUriOfAtMost2048Characters()
    {
        var properties = Schema(await ReadDocumentAsync(), "WebhookRequest").GetProperty("properties");

        var subscriptions = properties.GetProperty("subscriptions");
        Assert.Equal("array", subscriptions.String("type"));
        Assert.Equal(1, subscriptions.Int("minItems"));
        Assert.Equal("string", subscriptions.GetProperty("items").String("type"));
        Assert.Equal(2048, properties.GetProperty("uri").Int("maxLength"));
    }

    [Fact]
    public async Task ResponseFields_AreNullableOnlyWhereTheServerSendsNull()
    {
        var document = await ReadDocumentAsync();

        var nullable = Schemas(document)
            .Where(s => s.Name != "Problem" && !s.Name.EndsWith("Request", StringComparison.Ordinal))
            .SelectMany(s => s.Schema.GetProperty("properties").EnumerateObject().Where(p => AllowsNull(p.Value)).Select(p => $"{s.Name}.{p.Name}"))
            .Order(StringComparer.Ordinal);

        // Each is null on the wire when there is nothing to say: no description, not disabled, no name, no response yet,
        // not yet counted, no next attempt, no headers of its own, no attempt in a stats window, no failure yet, a test not
        // answered within its wait or not probed. The events feed's next is left out instead of sent as null, so it is not here.
        Assert.Equal(
            [
                "ApiKeyCreatedModel.name", "ApiKeyModel.name",
                "AttemptFailureModel.error", "AttemptFailureModel.statusCode",
                "AttemptModel.error", "AttemptModel.responseBody", "AttemptModel.statusCode",
                "AttemptWindowModel.latencyP50Ms", "AttemptWindowModel.latencyP95Ms", "AttemptWindowModel.successRate",
                "CreatedWebhookModel.description", "CreatedWebhookModel.disabledReason", "CreatedWebhookModel.headers", "CreatedWebhookModel.maxDeliveriesPerSecond",
                "DeliveryModel.nextAttemptAt",
                "EventModel.matchedWebhooks", "EventModel.resourceId",
                "FeedEventModel.resourceId",
                "WebhookModel.description", "WebhookModel.disabledReason", "WebhookModel.headers", "WebhookModel.maxDeliveriesPerSecond",
                "WebhookStatsModel.lastError",
                "WebhookTestResultModel.durationMs", "WebhookTestResultModel.error", "WebhookTestResultModel.responseExcerpt",
                "WebhookTestResultModel.signatureCheck", "WebhookTestResultModel.statusCode",
            ],
            nullable);
        Assert.DoesNotContain("next", Schema(document, "EventFeedModel").GetProperty("required").Strings());
    }

    [Fact]
    public async Task NoNumber_IsAlsoTypedAsAString()
    {
        var document = await ReadDocumentAsync();

        var mixed = Schemas(document)
            .SelectMany(s => s.Schema.GetProperty("properties").EnumerateObject().Select(p => (Name: $"{s.Name}.{p.Name}", p.Value)))
            .Where(p => p.Value.TryGetProperty("pattern", out _) || (Types(p.Value).Contains("integer") && Types(p.Value).Contains("string")))
            .Select(p => p.Name);

        Assert.Empty(mixed);
        Assert.Equal(["integer"], Types(Schema(document, "PagedResultOfWebhookModel").GetProperty("properties").GetProperty("elementsTotal")));
    }

    [Fact]
    public async Task Ordering_ListsItsValues_TheRequestNullToo()
    {
        var document = await ReadDocumentAsync();

        string Values(string schema) => string.Join(",", Schema(document, schema).GetProperty("properties").GetProperty("ordering").GetProperty("enum")
            .EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? "null" : v.GetString()));

        Assert.Equal("none,resource,listener,null", Values("WebhookRequest"));
        Assert.Equal("none,resource,listener", Values("WebhookModel"));
        Assert.Equal("none,resource,listener", Values("CreatedWebhookModel"));
        Assert.Contains("ordering", Schema(document, "WebhookModel").GetProperty("required").Strings());
        Assert.DoesNotContain("ordering", Schema(document, "WebhookRequest").GetProperty("required").Strings());
    }

    [Fact]
    public async Task Signatures_ListItsNames_OnEachItem_EachOnce()
    {
        var document = await ReadDocumentAsync();

        foreach (var schema in new[] { "WebhookRequest", "WebhookModel", "CreatedWebhookModel" })
        {
            var signatures = Schema(document, schema).GetProperty("properties").GetProperty("signatures");
            Assert.Equal(["n-signature", "standard"], signatures.GetProperty("items").GetProperty("enum").Strings());
            Assert.True(signatures.GetProperty("uniqueItems").GetBoolean());
        }

        Assert.Contains("signatures", Schema(document, "WebhookModel").GetProperty("required").Strings());
        Assert.DoesNotContain("signatures", Schema(document, "WebhookRequest").GetProperty("required").Strings());
        Assert.Equal(1, Schema(document, "WebhookRequest").GetProperty("properties").GetProperty("signatures").GetProperty("minItems").GetInt32());
    }

    [Theory]
    [InlineData("PublishEventRequest")]
    [InlineData("FeedEventModel")]
    [InlineData("EventModel")]
    public async Task Payload_IsAnyJsonValue(string schemaName)
    {
        var payload = Schema(await ReadDocumentAsync(), schemaName).GetProperty("properties").GetProperty("payload");

        Assert.False(payload.TryGetProperty("type", out _), "A payload of any JSON value has no type.");
        Assert.False(payload.TryGetProperty("$ref", out _), "A payload refers to no object model.");
        Assert.False(payload.TryGetProperty("oneOf", out _), "A payload refers to no object model.");
    }

    [Fact]
    public async Task EveryRequestAndResponseBody_HasAnExample()
    {
        var document = await ReadDocumentAsync();

        var missing = new List<string>();
        foreach (var (name, operation) in Operations(document))
        {
            var bodies = new List<(string Where, JsonElement Media)>();
            if (operation.TryGetProperty("requestBody", out var request))
            {
                bodies.AddRange(request.GetProperty("content").EnumerateObject().Select(c => ("request", c.Value)));
            }

            foreach (var response in operation.GetProperty("responses").EnumerateObject())
            {
                if (response.Value.TryGetProperty("content", out var content))
                {
                    bodies.AddRange(content.EnumerateObject().Select(c => (response.Name, c.Value)));
                }
            }

            missing.AddRange(bodies.Where(b => !HasExample(document, b.Media)).Select(b => $"{name} {b.Where}"));
        }

        Assert.Empty(missing);
    }

    [Fact]
    public async Task TheApiAndEveryTag_HaveDescriptions_AndTheServerUrlHasNoTrailingSlash()
    {
        var document = await ReadDocumentAsync();

        Assert.False(string.IsNullOrWhiteSpace(document.GetProperty("info").String("description")));
        var tags = document.GetProperty("tags").EnumerateArray().ToArray();
        Assert.Equal(["Account", "Events", "Tenants", "Webhooks"], tags.Select(t => t.String("name")).Order(StringComparer.Ordinal));
        Assert.All(tags, tag => Assert.False(string.IsNullOrWhiteSpace(tag.String("description"))));
        Assert.All(document.GetProperty("servers").EnumerateArray(), s => Assert.False(s.String("url").EndsWith('/'), s.String("url")));
    }

    private async Task<JsonElement> ReadDocumentAsync()
    {
        using var client = Server.CreateClient();
        using var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json.ReadObjectAsync(response);
    }

    private static IEnumerable<(string Name, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .Where(path => path.Name.StartsWith("/api/", StringComparison.Ordinal) || path.Name.StartsWith("/.well-known/", StringComparison.Ordinal))
            .SelectMany(path => path.Value.EnumerateObject().Select(op => ($"{op.Name} {path.Name}", op.Value)));

    private static JsonElement Operation(JsonElement document, string name)
    {
        var (method, path) = (name[..name.IndexOf(' ', StringComparison.Ordinal)], name[(name.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        return document.GetProperty("paths").GetProperty(path).GetProperty(method);
    }

    private static JsonElement Schema(JsonElement document, string name) =>
        document.GetProperty("components").GetProperty("schemas").GetProperty(name);

    private static IEnumerable<(string Name, JsonElement Schema)> Schemas(JsonElement document) =>
        document.GetProperty("components").GetProperty("schemas").EnumerateObject()
            .Where(s => s.Value.TryGetProperty("properties", out _))
            .Select(s => (s.Name, s.Value));

    private static string[] Types(JsonElement schema) =>
        !schema.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.Array ? type.Strings()
        : [type.GetString()!];

    private static bool AllowsNull(JsonElement schema) =>
        Types(schema).Contains("null")
        || (schema.TryGetProperty("oneOf", out var oneOf) && oneOf.EnumerateArray().Any(AllowsNull));

    private static bool HasExample(JsonElement document, JsonElement media)
    {
        if (media.TryGetProperty("example", out _) || media.TryGetProperty("examples", out _))
        {
            return true;
        }

        var schema = media.GetProperty("schema");
        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            // An optional body (enable, create key) may also be sent as null: the example is the other branch's.
            schema = oneOf.EnumerateArray().Single(branch => !Types(branch).SequenceEqual(["null"]));
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            schema = Schema(document, reference.GetString()!["#/components/schemas/".Length..]);
        }

        return schema.TryGetProperty("examples", out var examples) && examples.GetArrayLength() > 0;
    }

    // Every required field is there, with the JSON type the schema gives it.
    private static void AssertConforms(JsonElement schema, JsonElement body, string what)
    {
        var properties = schema.GetProperty("properties");
        foreach (var name in schema.GetProperty("required").Strings())
        {
            Assert.True(body.TryGetProperty(name, out var value), $"{what} has no {name}.");
            var expected = Types(properties.GetProperty(name));
            var actual = value.ValueKind switch
            {
                JsonValueKind.String => "string",
                JsonValueKind.Number => "integer",
                JsonValueKind.Array => "array",
                JsonValueKind.Object => "object",
                JsonValueKind.True or JsonValueKind.False => "boolean",
                _ => "null",
            };
            Assert.True(expected.Contains(actual), $"{what}'s {name} is {actual}, documented as {string.Join(" or ", expected)}.");
        }

        foreach (var field in body.EnumerateObject())
        {
            Assert.True(properties.TryGetProperty(field.Name, out _), $"{what} carries {field.Name}, which the problem schema does not describe.");
        }
    }
}
