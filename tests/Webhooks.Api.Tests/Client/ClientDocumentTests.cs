using System.Text.Json.Nodes;
using Webhooks.Api.Tests.Infrastructure;

namespace Webhooks.Api.Tests.Client;

/// <summary>
/// The typed client is generated from the served document and checked in: when the document changes and the client
/// is not regenerated, this fails and names where they part.
/// </summary>
public sealed class ClientDocumentTests(ApiServer server) : ApiTest(server), IClassFixture<ApiServer>
{
    [Fact]
    public async Task ServedDocument_IsTheOneTheClientWasGeneratedFrom()
    {
        using var client = Server.CreateClient();
        var served = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!.AsObject();
        // The address of the server that served it is no part of the contract (the regeneration drops it too).
        served.Remove("servers");
        var generatedFrom = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Client", "client-openapi.json")))!;

        var difference = FirstDifference(served, generatedFrom, "#");

        Assert.True(difference is null,
            $"The served OpenAPI document is not the one the typed client was generated from (first difference at {difference}). "
            + "Regenerate the client with src/Webhooks.Client/regenerate.sh and commit its output.");
    }

    /// <summary>The JSON pointer of the first place where the two differ (object member order aside); null when equal.</summary>
    private static string? FirstDifference(JsonNode? served, JsonNode? checkedIn, string path)
    {
        switch (served, checkedIn)
        {
            case (JsonObject a, JsonObject b):
                foreach (var name in a.Select(p => p.Key).Union(b.Select(p => p.Key)))
                {
                    var at = $"{path}/{name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";
                    if (!a.ContainsKey(name) || !b.ContainsKey(name))
                    {
                        return $"{at} ({(a.ContainsKey(name) ? "only served" : "only in the checked-in copy")})";
                    }

                    if (FirstDifference(a[name], b[name], at) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case (JsonArray a, JsonArray b):
                if (a.Count != b.Count)
                {
                    return $"{path} ({a.Count} items served, {b.Count} checked in)";
                }

                for (var i = 0; i < a.Count; i++)
                {
                    if (FirstDifference(a[i], b[i], $"{path}/{i}") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            default:
                return JsonNode.DeepEquals(served, checkedIn) ? null : path;
        }
    }
}
