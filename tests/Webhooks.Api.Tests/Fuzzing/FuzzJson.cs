using System.Globalization;
using System.Text;
using CsCheck;

namespace Webhooks.Api.Tests.Fuzzing;

/// <summary>
/// Generators of request bodies: JSON of the right shape with wrong values, wrong types for each field, unicode
/// edge cases, malformed and deeply nested JSON, invalid UTF-8 and bodies far over any limit.
/// </summary>
public static class FuzzJson
{
    /// <summary>Every field of every request body the API reads, plus names it does not know.</summary>
    public static readonly string[] FieldNames =
        ["uri", "subscriptions", "description", "eventId", "eventCode", "resourceId", "payload", "name", "since", "until", "replayParked", "activateNow", "URI", "id", "tenantId", "", "__proto__", "a\u0000b"];

    /// <summary>Strings a parser, a validator or a database can trip on: lone surrogates, NUL, bidi controls, BOM, combining marks.</summary>
    public static readonly Gen<string> UnicodeEdge = Gen.Frequency(
        (3, Gen.OneOf("", " ", "\0", "a\0b", "\ud800", "\udfff", "x\udc00y", "\udbff\udfff", "\u202eexe.txt", "\u200f\u200e", "\ufeff", "\ufffe", "\uffff",
            "😀", "e\u0301\u0301\u0301", "İı", "\r\n", "\t", "\\", "\"", "<script>", "'; DROP TABLE x;--", "%00", "../../etc/passwd", "null", "*")),
        (2, Gen.String[Gen.Char['\0', '\uffff'], 0, 40]),
        (1, Gen.String[Gen.Char["\0\ud800\udc00\u202e\ufeff\u0301a/.%"], 0, 20]));

    /// <summary>Values a listener URI must be checked against.</summary>
    public static readonly Gen<string> Uris = Gen.OneOf(
        "http://127.0.0.1:9/hooks", "https://127.0.0.1:9/", "http://localhost:9/", "ftp://example.com/", "javascript:alert(1)", "file:///etc/passwd",
        "http://", "http:///x", "//example.com/x", "/relative", "http://[::1]:9/", "http://[::1", "http://user:pass@127.0.0.1:9/", "http://127.0.0.1:99999/",
        "HTTP://127.0.0.1:9/", "http://\u202e.example/", "http://例え.jp/", "http://xn--/", "http://127.0.0.1:9/\0", " http://127.0.0.1:9/ ", "data:text/plain,x");

    /// <summary>Event codes, known and not.</summary>
    public static readonly Gen<string> EventCodes = Gen.OneOf(
        "entitlement.created", "customer.created", "*", "webhook.test", "ENTITLEMENT.CREATED", "entitlement.created ", "entitlement", "a.b.c.d", "");

    /// <summary>Points in time, valid and not, for <c>since</c>.</summary>
    public static readonly Gen<string> Dates = Gen.OneOf(
        "2000-01-01T00:00:00Z", "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00-14:00", "0001-01-01T00:00:00+14:00", "2024-02-30T00:00:00Z",
        "not a date", "", "2024-01-01", "2024-01-01T25:00:00Z", "+275760-09-13T00:00:00Z");

    public static readonly Gen<string> Strings = Gen.Frequency(
        (4, UnicodeEdge), (2, Uris), (2, EventCodes), (1, Dates),
        (1, Gen.Int[1, 3].Select(i => new string('a', i switch { 1 => 2049, 2 => 20_000, _ => 60_000 }))));

    /// <summary>A JSON number as text, including ones no .NET number type holds.</summary>
    public static readonly Gen<string> Numbers = Gen.OneOf(
        "0", "-1", "1", "1.5", "-0", "1e308", "1e400", "-1e400", "9223372036854775808", "2147483648", "0.0000000000000000000000001", "1E+2", "12345678901234567890123456789");

    /// <summary>Any JSON value as text, at most <paramref name="depth"/> levels deep.</summary>
    public static Gen<string> Value(int depth) => depth <= 0
        ? Gen.Frequency((4, Strings.Select(Quote)), (2, Numbers), (1, Gen.OneOf("true", "false", "null")))
        : Gen.Frequency(
            (4, Strings.Select(Quote)), (2, Numbers), (1, Gen.OneOf("true", "false", "null", "[]", "{}", "[null]")),
            (2, Value(depth - 1).Array[0, 4].Select(items => $"[{string.Join(',', items)}]")),
            (1, Object(depth - 1)));

    /// <summary>An object whose members are chosen from the API's field names with values of any type.</summary>
    public static Gen<string> Object(int depth) =>
        Gen.Select(Gen.OneOf(FieldNames).Select(Quote), Value(depth)).Array[0, 5]
            .Select(members => "{" + string.Join(',', members.Select(m => $"{m.Item1}:{m.Item2}")) + "}");

    /// <summary>Text that is not JSON, or JSON that no endpoint's body type can hold.</summary>
    public static readonly Gen<string> Malformed = Gen.OneOf(
        "", " ", "{", "}", "[", "]", "{\"uri\":}", "{,}", "{\"a\":1,}", "// comment\n{}", "/* c */{}", "{'uri':'x'}", "{\"uri\":NaN}", "{\"uri\":Infinity}",
        "{\"uri\":\"x\"}{}", "{\"uri\":\"x\"} trailing", "{\"uri\":\"unterminated}", "{\"uri\":\"\\x41\"}", "{\"uri\":\"\\u12\"}", "{\"uri\":\"\\ud800\"}",
        "{\"description\":\"\\udc00\\ud800\"}", "{\"uri\":\"a\u0000b\"}", "{\"uri\":\"tab\there\"}", "\"just a string\"", "[1,2,3]", "null", "true", "42",
        "{\"subscriptions\":\"entitlement.created\"}", "{\"subscriptions\":{\"0\":\"x\"}}", "{\"uri\":[\"http://x/\"]}", "{\"since\":1700000000}",
        "{\"payload\":}", "{\"uri\":\"x\",\"uri\":\"y\"}", "{\"\":\"\"}", "{\"uri\":01}", "{\"uri\":-}", "{\"uri\":.5}", "{\"uri\":+1}", "{\"a\":tru}");

    /// <summary>Arrays or objects nested far past any parser's depth limit (10 000 levels among them).</summary>
    public static readonly Gen<string> DeeplyNested = Gen.Select(Gen.OneOf(65, 1000, 10_000), Gen.Int[0, 3]).Select(t =>
    {
        var (depth, shape) = (t.Item1, t.Item2);
        return shape switch
        {
            0 => new string('[', depth) + new string(']', depth),
            1 => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth),
            2 => "{\"payload\":" + new string('[', depth) + new string(']', depth) + ",\"eventCode\":\"entitlement.created\",\"resourceId\":\"r\"}",
            _ => new string('[', depth), // never closed
        };
    });

    /// <summary>A JSON string literal; surrogates and control characters become <c>\uXXXX</c>, so lone surrogates survive as escapes.</summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder("\"", value.Length + 2);
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                text.Append('\\').Append(c);
            }
            else if (c < ' ' || char.IsSurrogate(c))
            {
                text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.Append('"').ToString();
    }

    /// <summary>
    /// Turns JSON text into bytes, sometimes wrongly: with a BOM, as UTF-16, or with invalid UTF-8 (overlong forms,
    /// encoded surrogates, stray continuation bytes) spliced in.
    /// </summary>
    public static Gen<byte[]> Encode(string json) => Gen.Frequency(
        (12, Gen.Const(() => Encoding.UTF8.GetBytes(json))),
        (1, Gen.Const(() => (byte[])[0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(json)])),
        (1, Gen.Const(() => Encoding.Unicode.GetBytes(json))),
        (2, Gen.Select(Gen.Int[0, json.Length], Gen.OneOf<byte[]>([0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xF0, 0x80, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0x80], [0xFF, 0xFE], [0x00], [0xF4, 0x90, 0x80, 0x80]))
            .Select(t => (byte[])[.. Encoding.UTF8.GetBytes(json[..t.Item1]), .. t.Item2, .. Encoding.UTF8.GetBytes(json[t.Item1..])])));

    /// <summary>A body of megabytes: one huge string field, or a huge array.</summary>
    public static readonly Gen<string> Huge = Gen.Select(Gen.OneOf(FieldNames), Gen.OneOf(70_000, 300_000, 1_100_000, 3_000_000), Gen.Bool)
        .Select(t => t.Item3
            ? "{" + Quote(t.Item1) + ":\"" + new string('x', t.Item2) + "\"}"
            : "{" + Quote(t.Item1) + ":[" + string.Join(',', Enumerable.Repeat("1", t.Item2 / 2)) + "]}");
}
