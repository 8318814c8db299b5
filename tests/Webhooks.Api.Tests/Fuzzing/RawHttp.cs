using System.Net.Sockets;
using System.Text;

namespace Webhooks.Api.Tests.Fuzzing;

/// <summary>
/// HTTP/1.1 written by hand on a socket: HttpClient merges or refuses duplicate <c>Authorization</c> and
/// <c>N-TenantId</c> headers, normalises dot segments and rejects raw bytes, and these requests need all of that.
/// </summary>
public static class RawHttp
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    public static async Task<FuzzResponse> SendAsync(Uri server, FuzzRequest request)
    {
        using var timeout = new CancellationTokenSource(Limit);
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = client.GetStream();

        var head = new StringBuilder($"{request.Method} {request.Target} HTTP/1.1\r\nHost: {server.Authority}\r\n");
        foreach (var (name, value) in request.Headers)
        {
            head.Append($"{name}: {value}\r\n");
        }

        if (request.Body is { } body && !request.Headers.Any(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)))
        {
            head.Append($"Content-Length: {body.Length}\r\n");
        }

        head.Append("Connection: close\r\n\r\n");
        try
        {
            // Latin-1 keeps every char below 256 as one byte, so a target can carry raw bytes such as overlong UTF-8.
            await stream.WriteAsync(Encoding.Latin1.GetBytes(head.ToString()), timeout.Token);
            if (request.Body is { } payload)
            {
                await stream.WriteAsync(payload, timeout.Token);
            }
        }
        catch (IOException)
        {
            // The server may answer and close before reading everything (an oversized body); its answer is still there to read.
        }

        using var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received, timeout.Token);
        }
        catch (IOException) when (received.Length > 0)
        {
            // A reset after the response: what arrived is the answer.
        }

        return Parse(received.ToArray(), request);
    }

    private static FuzzResponse Parse(byte[] bytes, FuzzRequest request)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            throw new InvalidOperationException($"No complete HTTP response ({bytes.Length} bytes) to {request}");
        }

        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToLookup(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var body = bytes.AsSpan(end + 4).ToArray();
        if (headers["Transfer-Encoding"].Any(v => v.Contains("chunked", StringComparison.OrdinalIgnoreCase)))
        {
            body = Dechunk(body);
        }

        var mediaType = headers["Content-Type"].FirstOrDefault()?.Split(';')[0].Trim();
        return new FuzzResponse(status, mediaType, body);
    }

    private static byte[] Dechunk(byte[] chunked)
    {
        using var body = new MemoryStream();
        var position = 0;
        while (position < chunked.Length)
        {
            var lineEnd = chunked.AsSpan(position).IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                break;
            }

            var sizeText = Encoding.ASCII.GetString(chunked, position, lineEnd).Split(';')[0];
            var size = Convert.ToInt32(sizeText, 16);
            position += lineEnd + 2;
            if (size == 0)
            {
                break;
            }

            body.Write(chunked, position, Math.Min(size, chunked.Length - position));
            position += size + 2;
        }

        return body.ToArray();
    }
}
