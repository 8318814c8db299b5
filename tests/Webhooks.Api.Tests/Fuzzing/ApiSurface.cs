using System.Text.Json;
using System.Text.RegularExpressions;
using Webhooks.Api.Tests.Infrastructure;

namespace Webhooks.Api.Tests.Fuzzing;

/// <summary>One operation of the server's OpenAPI document: a verb, a path template and whether it takes a JSON body.</summary>
public sealed record ApiOperation(HttpMethod Method, string PathTemplate, bool HasBody)
{
    /// <summary>The names of the template's <c>{parameters}</c>, in order.</summary>
    public IReadOnlyList<string> Parameters { get; } = [.. ApiSurface.ParameterPattern().Matches(PathTemplate).Select(m => m.Groups[1].Value)];

    public override string ToString() => $"{Method} {PathTemplate}";
}

/// <summary>The endpoints the server says it has, read from its own <c>/openapi/v1.json</c>, so an endpoint added later is fuzzed too.</summary>
public static partial class ApiSurface
{
    /// <summary>The operations that existed when the fuzzer was written: the enumeration must find at least these.</summary>
    public static readonly string[] Known =
    [
        "POST /api/v1/account/webhooks",
        "GET /api/v1/account/webhooks",
        "GET /api/v1/account/webhooks/events",
        "GET /api/v1/account/webhooks/{webhookListenerId}",
        "PUT /api/v1/account/webhooks/{webhookListenerId}",
        "DELETE /api/v1/account/webhooks/{webhookListenerId}",
        "POST /api/v1/account/webhooks/{webhookListenerId}/test",
        "GET /api/v1/account/webhooks/{webhookListenerId}/deliveries",
        "POST /api/v1/account/webhooks/{webhookListenerId}/deliveries/{eventId}/redeliver",
        "POST /api/v1/account/webhooks/{webhookListenerId}/recover",
        "POST /api/v1/account/webhooks/{webhookListenerId}/secret/rotate",
        "POST /api/v1/account/webhooks/{webhookListenerId}/enable",
        "POST /api/v1/account/webhooks/{webhookListenerId}/disable",
        "POST /api/v1/account/webhooks/recover",
        "GET /api/v1/account/credentials",
        "POST /api/v1/account/credentials/rotate",
        "POST /api/v1/events",
        "GET /api/v1/events",
        "GET /api/v1/events/{eventId}",
        "POST /api/v1/tenants",
        "GET /api/v1/tenants/{tenantId}",
        "DELETE /api/v1/tenants/{tenantId}",
    ];

    private static readonly string[] Verbs = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    [GeneratedRegex(@"\{([^}]+)\}")]
    internal static partial Regex ParameterPattern();

    public static async Task<IReadOnlyList<ApiOperation>> ReadAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/openapi/v1.json");
        response.EnsureSuccessStatusCode();
        var document = await Json.ReadObjectAsync(response);
        var operations = new List<ApiOperation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var verb in path.Value.EnumerateObject().Where(v => Verbs.Contains(v.Name, StringComparer.Ordinal)))
            {
                var hasBody = verb.Value.ValueKind == JsonValueKind.Object && verb.Value.TryGetProperty("requestBody", out _);
                operations.Add(new ApiOperation(new HttpMethod(verb.Name.ToUpperInvariant()), path.Name, hasBody));
            }
        }

        return operations;
    }
}
