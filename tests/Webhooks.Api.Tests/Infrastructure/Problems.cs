using System.Net;
using System.Text.Json;

namespace Webhooks.Api.Tests.Infrastructure;

/// <summary>Assertions on the API's error body: RFC 9457 problem details carrying the compatible ApiError fields.</summary>
public static class Problems
{
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? errorCode = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await Json.ReadObjectAsync(response);
        Assert.Equal((int)status, body.Int("status"));
        Assert.False(string.IsNullOrWhiteSpace(body.String("error")));
        var code = body.String("errorCode");
        if (errorCode is not null)
        {
            Assert.Equal(errorCode, code);
        }

        Assert.False(string.IsNullOrWhiteSpace(code));
        Assert.False(string.IsNullOrWhiteSpace(body.String("details")));
        Assert.Equal(JsonValueKind.Array, body.GetProperty("validationErrors").ValueKind);
        return body;
    }

    /// <summary>Asserts a 422 whose validationErrors name exactly <paramref name="fields"/>, one entry each.</summary>
    public static async Task<JsonElement> AssertValidationProblemAsync(HttpResponseMessage response, params string[] fields)
    {
        var body = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "ValidationFailed");
        var entries = body.GetProperty("validationErrors").EnumerateArray().ToArray();
        foreach (var entry in entries)
        {
            Assert.False(string.IsNullOrWhiteSpace(entry.String("errorMessage")));
        }

        var named = entries.Select(e => e.String("propertyName")).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(fields.Order(StringComparer.Ordinal).ToArray(), named);
        return body;
    }
}
