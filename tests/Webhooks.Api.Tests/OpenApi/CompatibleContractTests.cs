using System.Net;
using System.Text.Json;
using Webhooks.Api.Tests.Infrastructure;

namespace Webhooks.Api.Tests.OpenApi;

/// <summary>
/// The served document keeps the compatible API's webhook operations (compatible-webhooks-api.json): the same paths,
/// methods, operation names, success statuses and field names, nothing required in a request that the compatible API does not require,
/// and its errors carrying its error fields.
/// </summary>
public sealed class CompatibleContractTests(ApiServer server) : ApiTest(server), IClassFixture<ApiServer>
{
    private static readonly JsonElement Contract = LoadContract();

    public static TheoryData<string, string> CompatibleOperations()
    {
        var data = new TheoryData<string, string>();
        foreach (var operation in Contract.GetProperty("operations").EnumerateArray())
        {
            data.Add(operation.String("method"), operation.String("path"));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CompatibleOperations))]
    public async Task CompatibleOperation_KeepsItsPathStatusesAndFields(string method, string path)
    {
        var expected = Contract.GetProperty("operations").EnumerateArray().Single(o => o.String("method") == method && o.String("path") == path);
        var document = await ReadDocumentAsync();

        Assert.True(document.GetProperty("paths").TryGetProperty(path, out var item), $"The document has no {path}.");
        Assert.True(item.TryGetProperty(method, out var operation), $"{path} has no {method}.");
        Assert.Equal(expected.String("operationId"), operation.String("operationId"));
        var responses = operation.GetProperty("responses");
        var success = expected.Int("success").ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(responses.TryGetProperty(success, out var successResponse), $"{method} {path} does not document its {success}.");
        foreach (var status in Contract.GetProperty("errors").EnumerateArray().Select(s => s.GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            Assert.True(responses.TryGetProperty(status, out _), $"{method} {path} does not document {status}.");
        }

        if (expected.TryGetProperty("query", out var query))
        {
            var parameters = operation.GetProperty("parameters").EnumerateArray().Where(p => p.String("in") == "query").ToArray();
            Assert.Superset(query.Strings().ToHashSet(), parameters.Select(p => p.String("name")).ToHashSet());
            Assert.All(parameters, p => Assert.False(p.TryGetProperty("required", out var required) && required.GetBoolean(), $"{p.String("name")} is required."));
        }

        if (expected.TryGetProperty("request", out var request))
        {
            var validation = Contract.Int("validationError").ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(responses.TryGetProperty(validation, out _), $"{method} {path} does not document {validation}.");
            var body = Resolve(document, operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
            var required = request.GetProperty("required").Strings();
            Assert.Superset(required.Concat(request.GetProperty("optional").Strings()).ToHashSet(), body.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet());
            // Ours may add optional fields; a field the compatible API does not require may not be required here.
            Assert.Equal(required.Order(StringComparer.Ordinal), body.GetProperty("required").Strings().Order(StringComparer.Ordinal));
        }
        else
        {
            Assert.False(operation.TryGetProperty("requestBody", out _), $"{method} {path} takes no body in the compatible API.");
        }

        if (expected.TryGetProperty("response", out var fields))
        {
            var body = Resolve(document, successResponse.GetProperty("content").GetProperty("application/json").GetProperty("schema"));
            AssertHasRequiredFields(body, fields.Strings(), $"{method} {path}");
            if (expected.TryGetProperty("items", out var itemFields))
            {
                AssertHasRequiredFields(Resolve(document, body.GetProperty("properties").GetProperty("items").GetProperty("items")), itemFields.Strings(), $"{method} {path} items");
            }
        }
        else
        {
            Assert.False(successResponse.TryGetProperty("content", out _), $"{method} {path} answers {success} with no body in the compatible API.");
        }
    }

    [Fact]
    public async Task Errors_CarryTheCompatibleErrorFields()
    {
        var document = await ReadDocumentAsync();

        var problem = document.GetProperty("components").GetProperty("schemas").GetProperty("Problem");

        Assert.Superset(Contract.GetProperty("errorFields").Strings().ToHashSet(), problem.GetProperty("required").Strings().ToHashSet());
    }

    private static void AssertHasRequiredFields(JsonElement schema, string[] fields, string what)
    {
        var properties = schema.GetProperty("properties");
        var required = schema.GetProperty("required").Strings();
        foreach (var field in fields)
        {
            Assert.True(properties.TryGetProperty(field, out _), $"{what} has no {field}.");
            Assert.Contains(field, required);
        }
    }

    private static JsonElement Resolve(JsonElement document, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!["#/components/schemas/".Length..])
            : schema;

    private async Task<JsonElement> ReadDocumentAsync()
    {
        using var client = Server.CreateClient();
        using var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json.ReadObjectAsync(response);
    }

    private static JsonElement LoadContract()
    {
        using var file = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "OpenApi", "compatible-webhooks-api.json"));
        using var contract = JsonDocument.Parse(file);
        return contract.RootElement.Clone();
    }
}
