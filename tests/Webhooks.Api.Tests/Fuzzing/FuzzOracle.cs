using System.Text.Json;

namespace Webhooks.Api.Tests.Fuzzing;

/// <summary>
/// What every answer must be, whatever was asked: never a 5xx; every 4xx an RFC 9457 problem carrying the
/// compatible error fields; and a page of a list never holds more than asked, nor anything past the end.
/// </summary>
public static class FuzzOracle
{
    private static readonly int[] HttpParsingStatuses = [400, 405, 414, 431]; // 405: an asterisk-form target with a method other than OPTIONS

    /// <summary>Null when the response is acceptable, else what is wrong with it.</summary>
    public static string? Check(FuzzRequest request, FuzzResponse response)
    {
        if (response.Status >= 500)
        {
            return $"{response.Status}";
        }

        if (response.Status is >= 400 and < 500)
        {
            if (request.MayFailHttpParsing && response.Body.Length == 0 && HttpParsingStatuses.Contains(response.Status))
            {
                return null;
            }

            return ProblemError(request, response) is { } problem ? $"{response.Status} without a valid problem body: {problem}" : null;
        }

        return response.Status == 200 && response.MediaType == "application/json" ? PageError(response.Body) : null;
    }

    private static string? ProblemError(FuzzRequest request, FuzzResponse response)
    {
        if (response.MediaType != "application/problem+json")
        {
            return $"media type {response.MediaType ?? "(none)"}";
        }

        if (request.Method == "HEAD")
        {
            return null; // a HEAD answer has the headers of the problem, never its body
        }

        JsonElement body;
        try
        {
            using var document = JsonDocument.Parse(response.Body);
            body = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return $"unparsable body ({e.Message})";
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return "the body is not an object";
        }

        if (!body.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Number || status.GetInt32() != response.Status)
        {
            return "no status equal to the response's";
        }

        foreach (var field in new[] { "title", "error", "errorCode", "details" })
        {
            if (!body.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            {
                return $"no {field}";
            }
        }

        return body.TryGetProperty("validationErrors", out var errors) && errors.ValueKind == JsonValueKind.Array ? null : "no validationErrors array";
    }

    private static string? PageError(byte[] json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return $"a 200 whose JSON body does not parse ({e.Message})";
        }

        using var parsed = document;
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("items", out var items)
            || !root.TryGetProperty("pageNumber", out var number)
            || !root.TryGetProperty("pageSize", out var size)
            || !root.TryGetProperty("elementsTotal", out var total))
        {
            return null;
        }

        var count = items.GetArrayLength();
        var skipped = (number.GetInt64() - 1) * size.GetInt64();
        if (count > size.GetInt32())
        {
            return $"page of {count} items for pageSize {size}";
        }

        return skipped >= total.GetInt64() && count > 0
            ? $"page {number} of size {size} holds {count} items though only {total} exist"
            : null;
    }
}
