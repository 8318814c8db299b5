using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Webhooks.Receiving.Tests.Infrastructure;

/// <summary>
/// A tenant's key set served by the test's own app at <see cref="Path"/>, as the server serves one (JWKS, max-age,
/// ETag, 304 on a match), whose keys a test can add to and whose fetches it counts. It can be made to fail.
/// </summary>
public sealed class TestKeySet : IDisposable
{
    public const string Path = "/jwks.json";

    private readonly Lock _lock = new();
    private readonly List<(string Id, RSA Key)> _keys = [];
    private int _version;
    private int _fetches;
    private int _notModified;

    /// <summary>The key set's <c>max-age</c>, in seconds.</summary>
    public int MaxAgeSeconds { get; init; } = 300;

    /// <summary>When true, the key set answers 500.</summary>
    public bool Failing { get; set; }

    /// <summary>Requests answered with the set (200).</summary>
    public int Fetches => Volatile.Read(ref _fetches);

    /// <summary>Requests answered 304, the receiver's copy being current.</summary>
    public int NotModified => Volatile.Read(ref _notModified);

    /// <summary>Every request answered, with the set or with 304.</summary>
    public int Requests => Fetches + NotModified;

    /// <summary>Adds a new 2048-bit key named <paramref name="id"/> and returns it, for signing.</summary>
    public RSA Add(string id)
    {
        var key = RSA.Create(2048);
        lock (_lock)
        {
            _keys.Add((id, key));
            _version++;
        }

        return key;
    }

    /// <summary>A receiver that serves this key set itself and verifies <c>N-Signature</c> by it; <paramref name="configure"/> adds the rest.</summary>
    public Task<ReceiverHost> StartReceiverAsync(Action<WebhookReceiverOptions> configure)
    {
        var port = ReceiverHost.FreePort();
        return ReceiverHost.StartAsync(
            o =>
            {
                o.KeySetUri = new Uri($"http://127.0.0.1:{port}{Path}");
                configure(o);
            },
            port,
            map: Map);
    }

    private void Map(WebApplication app) => app.MapGet(Path, (HttpContext context) =>
    {
        if (Failing)
        {
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        }

        object body;
        string etag;
        lock (_lock)
        {
            etag = $"\"v{_version}\"";
            body = new { keys = _keys.Select(k => Jwk(k.Id, k.Key)).ToArray() };
        }

        context.Response.Headers.CacheControl = $"public, max-age={MaxAgeSeconds}";
        context.Response.Headers.ETag = etag;
        if (context.Request.Headers.IfNoneMatch == etag)
        {
            Interlocked.Increment(ref _notModified);
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        Interlocked.Increment(ref _fetches);
        return Results.Json(body);
    });

    public void Dispose()
    {
        foreach (var (_, key) in _keys)
        {
            key.Dispose();
        }
    }

    private static object Jwk(string id, RSA key)
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        return new { kty = "RSA", kid = id, use = "sig", alg = "RS256", n = Base64Url.EncodeToString(parameters.Modulus), e = Base64Url.EncodeToString(parameters.Exponent) };
    }
}
