using System.Net;
using System.Text.Json.Nodes;
using Webhooks.Api.Tests.Infrastructure;

namespace Webhooks.Api.Tests.OpenApi;

/// <summary>The document a started server serves passes a standard OpenAPI linter's recommended rules without an error or a warning.</summary>
public sealed class OpenApiLintTests(ApiServer server) : ApiTest(server), IClassFixture<ApiServer>
{
    [Fact]
    public async Task ServedOpenApiDocument_PassesTheLinter_WithNoErrorAndNoWarning()
    {
        var document = await ReadDocumentAsync();

        var result = await LintAsync(document);

        Assert.True(result.Errors == 0 && result.Warnings == 0,
            $"The linter found {result.Errors} error(s) and {result.Warnings} warning(s):{Environment.NewLine}{string.Join(Environment.NewLine, result.Problems)}");
    }

    [Fact]
    public async Task Linter_OnTheDocumentWithATrailingSlashAndAnUndescribedTag_ReportsAnErrorAndAWarning()
    {
        var document = await ReadDocumentAsync();
        document["servers"]![0]!["url"] = "http://localhost:5080/";
        document["tags"]![0]!.AsObject().Remove("description");

        var result = await LintAsync(document);

        Assert.True(result.Errors >= 1 && result.Warnings >= 1, $"The linter missed a problem: {string.Join("; ", result.Problems)}");
    }

    private async Task<JsonNode> ReadDocumentAsync()
    {
        using var client = Server.CreateClient();
        using var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static async Task<LintResult> LintAsync(JsonNode document)
    {
        var path = Path.Combine(Path.GetTempPath(), $"webhooks-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, document.ToJsonString());
        try
        {
            return await OpenApiLinter.LintAsync(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
