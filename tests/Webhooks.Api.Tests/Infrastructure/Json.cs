using System.Text.Json;

namespace Webhooks.Api.Tests.Infrastructure;

/// <summary>Reads response bodies as raw JSON, so tests assert the wire shape rather than a C# type's.</summary>
public static class Json
{
    public static async Task<JsonElement> ReadObjectAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        return document.RootElement.Clone();
    }

    public static string[] Strings(this JsonElement array) =>
        [.. array.EnumerateArray().Select(e => e.GetString()!)];

    public static string String(this JsonElement element, string property)
    {
        var value = element.GetProperty(property);
        Assert.Equal(JsonValueKind.String, value.ValueKind);
        return value.GetString()!;
    }

    public static int Int(this JsonElement element, string property)
    {
        var value = element.GetProperty(property);
        Assert.Equal(JsonValueKind.Number, value.ValueKind);
        return value.GetInt32();
    }

    /// <summary>A JSON body sent exactly as written, for requests a typed serializer could not produce.</summary>
    public static StringContent Raw(string json, string mediaType = "application/json") => new(json, System.Text.Encoding.UTF8, mediaType);
}
