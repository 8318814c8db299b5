using System.Text;
using CsCheck;
using Webhooks.Api.Tests.Infrastructure;

namespace Webhooks.Api.Tests.Fuzzing;

/// <summary>
/// Generators of whole requests at the operations the server documents: each with credentials good and bad, path
/// parameters real and malformed, hostile query strings, bodies from <see cref="FuzzJson"/> under any content type
/// (parameters included), <c>Accept</c> and <c>Accept-Charset</c> the server cannot satisfy, and now and then the
/// wrong method or a path trick.
/// </summary>
public sealed class FuzzRequests(FuzzTargets targets, IReadOnlyList<ApiOperation> operations)
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FUZZ"];

    /// <summary>A request for HttpClient.</summary>
    public Gen<FuzzRequest> Request => Gen.Frequency(
        (92, Gen.Select(Gen.OneOf(operations.ToArray()), Credentials, Gen.Int[0, 99], Gen.Int[0, targets.ListenerIds.Count - 1])
            .SelectMany(t => ForOperation(t.Item1, t.Item2, t.Item3, t.Item4))),
        (6, Gen.Select(PathTrick, Credentials, Gen.OneOf(Methods)).Select(t => new FuzzRequest(t.Item3, t.Item1, t.Item2, null))),
        // Raw, because HttpClient gives up on the answer when the server refuses the body before it is all sent.
        (2, Gen.Select(Gen.OneOf(operations.ToArray()), Credentials, Huge).Select(t => new FuzzRequest(t.Item1.Method.Method, Path(t.Item1, RealParameter), [.. t.Item2, Json], t.Item3, Raw: true))));

    /// <summary>A request written on a raw socket: duplicated credentials, dot segments, raw bytes, broken framing.</summary>
    public Gen<FuzzRequest> RawRequest => Gen.Frequency(
        (6, Gen.Select(Gen.OneOf(operations.ToArray()), DuplicatedCredentials).SelectMany(t =>
            Body(t.Item1).Select(body => new FuzzRequest(t.Item1.Method.Method, Path(t.Item1, RealParameter), [.. t.Item2, .. body.Headers], body.Bytes, Raw: true)))),
        (2, Gen.Select(Gen.OneOf(operations.ToArray()), Credentials).Select(t => new FuzzRequest(t.Item1.Method.Method, Path(t.Item1, RealParameter),
            [.. t.Item2, Header("Accept", "application/xml"), Header("Accept", "text/html;q=0.9"), Header("Accept-Charset", "utf-16"), Header("Accept-Charset", "bogus")], null, Raw: true))),
        (3, Gen.Select(RawTarget, Credentials, Gen.OneOf(Methods)).Select(t =>
            new FuzzRequest(t.Item3, t.Item1, t.Item2, null, Raw: true) { BreaksHttpSyntax = true })),
        (2, Gen.Select(Gen.OneOf(operations.Where(o => o.HasBody).ToArray()), Credentials, BrokenFraming).Select(t =>
            new FuzzRequest(t.Item1.Method.Method, Path(t.Item1, RealParameter), [.. t.Item2, Json, .. t.Item3.Headers], t.Item3.Body, Raw: true) { BreaksHttpSyntax = true })));

    private static KeyValuePair<string, string> Json => Header("Content-Type", "application/json");

    private static Gen<byte[]> Huge => FuzzJson.Huge.Select(json => Encoding.UTF8.GetBytes(json));

    /// <summary>Who the request claims to be: the fuzzed tenant, the platform for it or for nobody, or a bad key.</summary>
    private Gen<KeyValuePair<string, string>[]> Credentials => Gen.Frequency(
        (6, Gen.Const<KeyValuePair<string, string>[]>([Bearer(targets.TenantKey)])),
        (2, Gen.Const<KeyValuePair<string, string>[]>([Bearer(targets.TenantKey), Tenant(targets.TenantId)])),
        (5, Gen.Const<KeyValuePair<string, string>[]>([Bearer(targets.PlatformKey), Tenant(targets.TenantId)])),
        (1, Gen.Const<KeyValuePair<string, string>[]>([Bearer(targets.PlatformKey)])),
        (1, Gen.Const<KeyValuePair<string, string>[]>([Header("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:" + targets.PlatformKey))), Tenant(targets.TenantId)])),
        // A tenant key naming another tenant is refused; the platform key never names the untouched tenant.
        (1, Gen.Const<KeyValuePair<string, string>[]>([Bearer(targets.TenantKey), Tenant(targets.UntouchedTenantId)])),
        (2, Gen.Select(Gen.OneOf(targets.TenantKey, targets.PlatformKey), TenantIds).Select(t => (KeyValuePair<string, string>[])[Bearer(t.Item1), Tenant(t.Item2)])),
        (1, Gen.Const<KeyValuePair<string, string>[]>([])),
        (3, BadAuthorization.Select(value => (KeyValuePair<string, string>[])[Header("Authorization", value), Tenant(targets.TenantId)])));

    private Gen<KeyValuePair<string, string>[]> DuplicatedCredentials => Gen.OneOf<KeyValuePair<string, string>[]>(
        [Bearer(targets.TenantKey), Bearer(targets.TenantKey)],
        [Bearer(targets.TenantKey), Bearer(targets.PlatformKey), Tenant(targets.TenantId)],
        [Bearer(targets.PlatformKey), Bearer(targets.PlatformKey), Tenant(targets.TenantId)],
        [Bearer(targets.PlatformKey), Bearer("wrong"), Tenant(targets.TenantId)],
        [Bearer(targets.TenantKey), Tenant(targets.TenantId), Tenant(targets.TenantId)],
        [Bearer(targets.TenantKey), Tenant(targets.TenantId), Tenant(targets.UntouchedTenantId)],
        [Bearer(targets.PlatformKey), Tenant(targets.TenantId), Tenant(targets.UntouchedTenantId)],
        [Bearer(targets.PlatformKey), Tenant(targets.UntouchedTenantId), Tenant(targets.TenantId)],
        [Bearer(targets.PlatformKey), Tenant($"{targets.TenantId}, {targets.UntouchedTenantId}")],
        [Bearer(targets.PlatformKey), Tenant(""), Tenant(targets.TenantId)],
        [Header("Authorization", ""), Bearer(targets.TenantKey)],
        [Header("authorization", $"Bearer {targets.TenantKey}"), Header("AUTHORIZATION", $"Bearer {targets.TenantKey}")]);

    private Gen<string> BadAuthorization => Gen.Frequency(
        (3, Gen.OneOf("", "Bearer", "Bearer ", "bearer", "Token abc", "Basic", "Basic !!!", "Basic " + Convert.ToBase64String("nocolon"u8),
            "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(":wrong")), $"Bearer {targets.PlatformKey}x", $"Bearer  {targets.PlatformKey} ",
            $"bearer {targets.TenantKey}", $"Bearer {targets.TenantKey[..^1]}", $"Bearer {targets.TenantKey}.x", "Bearer wk.", "Bearer wk....",
            "Bearer wk.t_x.k.s", $"Bearer wk.{targets.TenantId}.kid.secret", $"Bearer wk.{targets.UntouchedTenantId}.kid.secret", "Bearer " + new string('k', 8000))),
        (1, Gen.String[Gen.Char[' ', '~'], 0, 100].Select(s => "Bearer " + s)));

    private Gen<string> TenantIds => Gen.OneOf(
        "", " ", "t_", "t_x", targets.TenantId + "x", targets.TenantId.ToUpperInvariant(), "t_" + new string('A', 22), "t_" + new string('-', 22), "wh_" + new string('A', 22),
        "../" + targets.TenantId, new string('t', 4000), "t_%2e%2e%2f%2e%2e");

    /// <summary>Listener ids and other path segments: wrong lengths, traversal, encoded slashes and NULs, raw unicode, very long.</summary>
    private static readonly Gen<string> BadSegments = Gen.Frequency(
        (3, Gen.OneOf("wh_", "wh_x", "WH_AAAAAAAAAAAAAAAAAAAAAA", "wh_AAAAAAAAAAAAAAAAAAAAA", "wh_AAAAAAAAAAAAAAAAAAAAAAA", "wh_AAAAAAAAAAAAAAAAAAAA+/",
            "wh_AAAAAAAAAAAAAAAAAAAA%3D%3D", "..%2f..%2ftenants", "%2e%2e", "%2e%2e%2f%2e%2e%2fcredentials", "..%5c..%5c", "%2F", "%00", "wh_%00AAAAAAAAAAAAAAAAAAAAA",
            "%C0%AF", "%ED%A0%80", "%E2%80%AE", "%EF%BB%BF", "%FF", "%", "%%", "%zz", "%20", "+", "~", "events", "deliveries", "null", "undefined", "0", "-1")),
        (1, Gen.Int[0, 40].Select(n => "wh_" + new string('A', n))),
        (1, Gen.OneOf(300, 4000).Select(n => new string('a', n))),
        (1, FuzzJson.UnicodeEdge.Where(s => !s.Any(char.IsSurrogate)).Select(Uri.EscapeDataString)));

    private static readonly Gen<string> QueryValues = Gen.OneOf(
        "-1", "0", "1", "2", "100", "101", "2147483647", "2147483648", "-2147483648", "99999999999999999999", "abc", "", "1e3", " 1", "0x10", "%D9%A1", "1.5",
        "pending", "PENDING", "succeeded", "failed", "0", "7", "Pending%2CFailed", "%00", "%FF", "%C0%AF", "%ED%A0%80",
        "1000", "1001", "AAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAA==", "__________________8", "AAAAAAAAAAAAAAAAAAAAAB", "entitlement.created", "ent_1");

    private static readonly Gen<string> Query = Gen.Frequency(
        (5, Gen.Const("")),
        (6, Gen.Select(Gen.OneOf("pageNumber", "pageSize", "status", "PageNumber", "pagesize", "x", "", "pageNumber[]", "after", "limit", "eventCode", "resourceId"), QueryValues).Array[1, 3]
            .Select(ps => "?" + string.Join('&', ps.Select(p => $"{p.Item1}={p.Item2}")))),
        (1, Gen.OneOf("?", "?&&&", "?=", "?pageNumber", "?pageNumber=1&pageNumber=2", "?pageSize=1&pageSize=abc", "?%%%", "?a=" + new string('q', 6000), "?status=pending&status=failed",
            "?after=" + new string('A', 6000), "?limit=1&limit=2", "?after=a&after=b", "?eventCode=" + new string('c', 300))));

    private Gen<string> PathTrick => Gen.OneOf(
        "/", "/api", "/api/v1", "/api/v2/account/webhooks", "/API/V1/ACCOUNT/WEBHOOKS", "/api/v1/account/webhooks/", "/api/v1/account//webhooks", "/api/v1/account/webhooks;x=1",
        $"/api/v1/account/webhooks/{targets.ListenerIds[0]}/", $"/api/v1/account/webhooks/{targets.ListenerIds[0]}/unknown", $"/api/v1/account/webhooks/{targets.ListenerIds[0]}/deliveries/",
        "/api/v1/account/webhooks/%2e%2e/%2e%2e/tenants", "/api/v1/account/webhooks%2Fevents", "/api/v1/tenants/", "/api/v1/tenants//", "/api/v1/events/", "/api/v1/events/x",
        "/openapi/v2.json", "/openapi/v1.json/..", "/health/live/x", "/dashboard/..%2f..%2f", "/dashboard/x", "/scalar/x", "/js/..%2f..%2fappsettings.json", "/appsettings.json",
        "/%2e%2e/%2e%2e/etc/passwd", "/favicon.ico", "/index.html%00", "/" + new string('a', 4000), "/api/v1/account/webhooks/" + string.Concat(Enumerable.Repeat("a/", 500)));

    private Gen<string> RawTarget => Gen.OneOf(
        "/api/v1/account/webhooks/../tenants", "/api/v1/account/webhooks/./events", "/api/v1/account/webhooks/../../../../etc/passwd", "//api/v1/account/webhooks",
        "/api/v1/account/webhooks/wh_\u00c0\u00af", "/api/v1/account/webhooks/\u00ed\u00a0\u0080", "/api/v1/account/webhooks/\u00ef\u00bb\u00bf", "/api/v1/account/webhooks?pageNumber=\u00ff",
        "/api/v1/account/webhooks/a b", "/api/v1/account/webhooks/\u0001", "/api/v1/account/webhooks#fragment", "/api/v1/account/webhooks/%00/test", "*",
        "http://127.0.0.1/api/v1/account/webhooks", "api/v1/account/webhooks", "/api/v1/account/webhooks\\..\\tenants", $"/api/v1/account/webhooks/{targets.ListenerIds[0]}/..");

    private static Gen<(KeyValuePair<string, string>[] Headers, byte[] Body)> BrokenFraming => Gen.OneOf<(KeyValuePair<string, string>[], byte[])>(
        ([Header("Transfer-Encoding", "chunked")], "zz\r\n{}\r\n0\r\n\r\n"u8.ToArray()),
        ([Header("Transfer-Encoding", "chunked")], "2\r\n{}\r\n"u8.ToArray()),
        ([Header("Transfer-Encoding", "chunked")], "FFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n"u8.ToArray()),
        ([Header("Transfer-Encoding", "chunked"), Header("Content-Length", "2")], "2\r\n{}\r\n0\r\n\r\n"u8.ToArray()),
        ([Header("Transfer-Encoding", "gzip, chunked")], "2\r\n{}\r\n0\r\n\r\n"u8.ToArray()),
        ([Header("Content-Length", "2"), Header("Content-Length", "3")], "{} "u8.ToArray()),
        ([Header("Content-Length", "-1")], "{}"u8.ToArray()),
        ([Header("Content-Length", "1")], "{}"u8.ToArray()),
        ([Header("Content-Length", "99999999999999999999")], "{}"u8.ToArray()),
        ([Header("Content-Length", "0x2")], "{}"u8.ToArray()),
        ([Header("Content-Encoding", "gzip")], "{}"u8.ToArray()),
        ([Header("Expect", "100-continue")], "{}"u8.ToArray()),
        ([Header("Expect", "fancy")], "{}"u8.ToArray()),
        ([Header("X Bad Name", "1")], "{}"u8.ToArray()),
        ([Header("X-Folded", "a\r\n b")], "{}"u8.ToArray()));

    private static readonly Gen<string> ContentTypes = Gen.Frequency(
        (12, Gen.Const("application/json")),
        (1, Gen.OneOf("application/json; charset=utf-8", "application/json; charset=utf-16", "application/json; charset=bogus", "application/json; charset=\"",
            "application/json; charset=utf-7", "application/json; charset=iso-8859-1", "application/problem+json", "application/vnd.x+json", "APPLICATION/JSON",
            "text/plain", "text/json", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "multipart/form-data",
            "*/*", "", "application/", "/json", "application/json;;;", "application/octet-stream")),
        (1, Gen.OneOf("application/json; charset=utf-8; charset=latin1", "application/json; q=0.5", "application/json ; charset = utf-8",
            "application/json; boundary=x", "application/json; charset=", "application/json; charset=\"utf-8\"", "application/json; x=\"unterminated",
            "application/json; charset=utf-8, text/plain", "application/json; charset=UTF-32")));

    /// <summary>What the client says it can take: usually nothing, else media ranges and charsets the server may not offer, repeated or unparsable.</summary>
    private static readonly Gen<KeyValuePair<string, string>[]> Negotiation = Gen.Frequency(
        (10, Gen.Const(Array.Empty<KeyValuePair<string, string>>())),
        (4, Gen.OneOf("application/json", "application/problem+json", "*/*", "application/xml", "text/html", "text/plain", "image/png", "*/*;q=0",
            "application/json;q=0", "application/json;q=0, application/xml", "text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.8",
            "application/problem+xml", "application/*", "text/*", "", ",", ";", "/", "garbage;;==", "application/json; q=abc", "*/*; charset=utf-16",
            "application/json;charset=latin1")
            .Select(accept => (KeyValuePair<string, string>[])[Header("Accept", accept)])),
        (1, Gen.OneOf("utf-16", "iso-8859-1;q=1, utf-8;q=0", "bogus", "*;q=0", "")
            .Select(charset => (KeyValuePair<string, string>[])[Header("Accept-Charset", charset)])),
        (1, Gen.Const<KeyValuePair<string, string>[]>([Header("Accept", "application/xml"), Header("Accept", "text/html")])));

    private Gen<FuzzRequest> ForOperation(ApiOperation operation, KeyValuePair<string, string>[] credentials, int dice, int listener) =>
        Gen.Select(Query, Body(operation), BadSegments, Gen.OneOf(Methods), Negotiation).Select(t =>
        {
            var (query, body, segment, otherMethod, negotiation) = t;
            // Most requests name real resources, so the handlers behind the checks run; some name malformed ones.
            var path = Path(operation, p => dice < 70 ? RealParameter(p, listener) : dice < 80 ? ForeignParameter(p) : segment);
            var method = dice % 17 == 0 ? otherMethod : operation.Method.Method;
            return new FuzzRequest(method, path + query, [.. credentials, .. negotiation, .. body.Headers], body.Bytes);
        });

    /// <summary>A body for the operation: valid, of the right shape with bad values, any JSON, malformed, nested, badly encoded; or none.</summary>
    private Gen<(KeyValuePair<string, string>[] Headers, byte[]? Bytes)> Body(ApiOperation operation) =>
        Gen.Frequency(
            (operation.HasBody ? 1 : 6, Gen.Const<string?>((string?)null)),
            (4, Valid(operation)), (4, Mutated(operation)), (2, FuzzJson.Object(2)), (1, FuzzJson.Value(2)), (2, FuzzJson.Malformed), (1, FuzzJson.DeeplyNested))
        .SelectMany(json => json is null
            ? Gen.Const<(KeyValuePair<string, string>[], byte[]?)>((Array.Empty<KeyValuePair<string, string>>(), (byte[]?)null))
            : Gen.Select(ContentTypes, FuzzJson.Encode(json)).Select(t => t.Item1.Length == 0 ? ([], t.Item2) : ((KeyValuePair<string, string>[])[Header("Content-Type", t.Item1)], (byte[]?)t.Item2)));

    private Gen<string?> Valid(ApiOperation operation) => operation.PathTemplate switch
    {
        "/api/v1/account/webhooks" or "/api/v1/account/webhooks/{webhookListenerId}" =>
            Gen.Select(Gen.OneOf(targets.ListenerUri, "http://127.0.0.1:9/"), Gen.OneOf("\"*\"", "\"entitlement.created\"", "\"customer.created\",\"entitlement.created\""), FuzzJson.UnicodeEdge)
                .Select(t => (string?)$"{{\"uri\":{FuzzJson.Quote(t.Item1)},\"subscriptions\":[{t.Item2}],\"description\":{FuzzJson.Quote(t.Item3)}}}"),
        "/api/v1/events" => Gen.Select(FuzzJson.Value(3), FuzzJson.UnicodeEdge)
            .Select(t => (string?)$"{{\"eventCode\":\"entitlement.created\",\"resourceId\":{FuzzJson.Quote(t.Item2 + "r")},\"payload\":{t.Item1}}}"),
        "/api/v1/tenants" => FuzzJson.UnicodeEdge.Select(name => (string?)$"{{\"name\":{FuzzJson.Quote(name + "n")}}}"),
        _ when operation.PathTemplate.EndsWith("/recover", StringComparison.Ordinal) => Gen.OneOf(
            FuzzJson.Dates.Select(d => (string?)$"{{\"since\":{FuzzJson.Quote(d)}}}"),
            Gen.Select(FuzzJson.Dates, FuzzJson.Dates).Select(t => (string?)$"{{\"since\":{FuzzJson.Quote(t.Item1)},\"until\":{FuzzJson.Quote(t.Item2)}}}")),
        _ when operation.PathTemplate.EndsWith("/enable", StringComparison.Ordinal) => Gen.OneOf("{\"replayParked\":true}", "{\"replayParked\":false}", "{}").Select(b => (string?)b),
        "/api/v1/account/credentials/rotate" => Gen.OneOf("{\"activateNow\":true}", "{\"activateNow\":false}", "{}").Select(b => (string?)b),
        _ => Gen.Const<string?>("{}"),
    };

    /// <summary>A valid body with one field replaced by a value of any type, or one unknown field added.</summary>
    private Gen<string?> Mutated(ApiOperation operation) =>
        Gen.Select(Valid(operation), Gen.OneOf(FuzzJson.FieldNames), FuzzJson.Value(2)).Select(t =>
        {
            var (valid, field, value) = t;
            var member = $"{FuzzJson.Quote(field)}:{value}";
            return valid is null || valid == "{}" ? (string?)("{" + member + "}") : valid[..^1] + "," + member + "}"; // a repeated name: the later one wins
        });

    private string RealParameter(string name) => RealParameter(name, 0);

    private string RealParameter(string name, int listener) => name switch
    {
        "webhookListenerId" => targets.ListenerIds[listener],
        "eventId" => targets.EventId,
        "tenantId" => targets.ManagedTenantId,
        _ => "x",
    };

    /// <summary>The untouched tenant's resources: no key the fuzzer holds may reach them.</summary>
    private string ForeignParameter(string name) => name switch
    {
        "webhookListenerId" => targets.UntouchedListenerId,
        "tenantId" => WebhooksClient.UnknownListenerId().Replace("wh_", "t_", StringComparison.Ordinal),
        _ => WebhooksClient.UnknownListenerId(),
    };

    private static string Path(ApiOperation operation, Func<string, string> parameter) =>
        ApiSurface.ParameterPattern().Replace(operation.PathTemplate, m => parameter(m.Groups[1].Value));

    private static KeyValuePair<string, string> Bearer(string key) => Header("Authorization", "Bearer " + key);

    private static KeyValuePair<string, string> Tenant(string id) => Header("N-TenantId", id);

    private static KeyValuePair<string, string> Header(string name, string value) => KeyValuePair.Create(name, value);
}
