using System.Text;

namespace Webhooks.Api.Tests.Fuzzing;

/// <summary>
/// One generated request, as bytes on the wire would have it: the method, the request target exactly as written
/// (percent-encoding and all), the headers in order (duplicates allowed), and the body.
/// </summary>
/// <param name="Method">The request method.</param>
/// <param name="Target">The request target, exactly as sent.</param>
/// <param name="Headers">The headers in order, duplicates allowed.</param>
/// <param name="Body">The body, if any.</param>
/// <param name="Raw">Sent over a raw socket, for what HttpClient refuses or rewrites: duplicate headers, dot segments, raw bytes.</param>
public sealed record FuzzRequest(string Method, string Target, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[]? Body, bool Raw = false)
{
    /// <summary>Kestrel's request line limit: a longer target is a 414 before the application sees it.</summary>
    public const int MaxRequestLine = 8 * 1024;

    /// <summary>The request is not valid HTTP/1.1 on purpose (framing, header syntax, raw bytes in the target).</summary>
    public bool BreaksHttpSyntax { get; init; }

    /// <summary>
    /// Kestrel answers a request it cannot parse (an empty 400, 405, 414 or 431) before the application sees it: broken
    /// syntax, a target over the request line limit, or a NUL in the decoded path, which Kestrel never passes on.
    /// </summary>
    public bool MayFailHttpParsing =>
        BreaksHttpSyntax || Target.Length > MaxRequestLine - 100 || Target.Split('?')[0].Contains("%00", StringComparison.Ordinal);

    /// <summary>A short description for a failure message: enough to reproduce the case by hand, never the whole body.</summary>
    public override string ToString()
    {
        var text = new StringBuilder($"{(Raw ? "raw " : "")}{Method} {Shorten(Target, 300)}");
        foreach (var (name, value) in Headers)
        {
            text.Append($" | {name}: {Shorten(value, 80)}");
        }

        if (Body is { } body)
        {
            text.Append($" | body {body.Length} bytes: {Shorten(Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 400)), 200)}");
        }

        return text.ToString();
    }

    internal HttpRequestMessage ToHttpRequestMessage(Uri baseAddress)
    {
        var request = new HttpRequestMessage(new HttpMethod(Method), new Uri(baseAddress, Target));
        if (Body is not null)
        {
            request.Content = new ByteArrayContent(Body);
        }

        foreach (var (name, value) in Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : $"{text[..max]}…({text.Length} chars)";
}

/// <summary>What came back: the status, the media type and the body.</summary>
public sealed record FuzzResponse(int Status, string? MediaType, byte[] Body);
