using System.Net;
using System.Text;
using Webhooks.Api.Tests.Infrastructure;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Listeners;

/// <summary>
/// Every kind of bad request is refused with the right status and a problem body, and never changes anything:
/// each test takes the tenant's list before and after the rejected call and compares them.
/// </summary>
public sealed class WebhookValidationTests(ApiServer server) : ApiTest(server), IClassFixture<ApiServer>
{
    private static readonly string LongUri = "https://hooks.example.com/" + new string('a', 2049 - "https://hooks.example.com/".Length);

    public static TheoryData<string, string, string[]> InvalidBodies => new()
    {
        { "missing uri", """{"subscriptions":["entitlement.created"]}""", ["uri"] },
        { "null uri", """{"uri":null,"subscriptions":["entitlement.created"]}""", ["uri"] },
        { "empty uri", """{"uri":"","subscriptions":["entitlement.created"]}""", ["uri"] },
        { "blank uri", """{"uri":"   ","subscriptions":["entitlement.created"]}""", ["uri"] },
        { "uri of 2049 chars", $$"""{"uri":"{{LongUri}}","subscriptions":["entitlement.created"]}""", ["uri"] },
        { "relative uri", """{"uri":"/hooks/zentitle","subscriptions":["entitlement.created"]}""", ["uri"] },
        { "ftp uri", """{"uri":"ftp://hooks.example.com/in","subscriptions":["entitlement.created"]}""", ["uri"] },
        { "missing subscriptions", """{"uri":"https://hooks.example.com/a"}""", ["subscriptions"] },
        { "null subscriptions", """{"uri":"https://hooks.example.com/a","subscriptions":null}""", ["subscriptions"] },
        { "empty subscriptions", """{"uri":"https://hooks.example.com/a","subscriptions":[]}""", ["subscriptions"] },
        { "unknown code", """{"uri":"https://hooks.example.com/a","subscriptions":["entitlement.created","no.such.event"]}""", ["subscriptions"] },
        { "null code", """{"uri":"https://hooks.example.com/a","subscriptions":[null]}""", ["subscriptions"] },
        { "both fields bad", """{"uri":"ftp://x","subscriptions":[]}""", ["uri", "subscriptions"] },
        { "empty object", "{}", ["uri", "subscriptions"] },
        { "rate of zero", """{"uri":"https://hooks.example.com/a","subscriptions":["*"],"maxDeliveriesPerSecond":0}""", ["maxDeliveriesPerSecond"] },
        { "negative rate", """{"uri":"https://hooks.example.com/a","subscriptions":["*"],"maxDeliveriesPerSecond":-1}""", ["maxDeliveriesPerSecond"] },
        { "rate above the maximum", """{"uri":"https://hooks.example.com/a","subscriptions":["*"],"maxDeliveriesPerSecond":10001}""", ["maxDeliveriesPerSecond"] },
        { "header the dispatcher sets", """{"uri":"https://hooks.example.com/a","subscriptions":["*"],"headers":{"Content-Type":"text/plain"}}""", ["headers"] },
        { "host header", """{"uri":"https://hooks.example.com/a","subscriptions":["*"],"headers":{"host":"other.example.com"}}""", ["headers"] },
        { "hop-by-hop header", """{"uri":"https://hooks.example.com/a","subscriptions":["*"],"headers":{"Connection":"close"}}""", ["headers"] },
        { "a webhook- header", """{"uri":"https://hooks.example.com/a","subscriptions":["*"],"headers":{"Webhook-Id":"mine"}}""", ["headers"] },
        { "the seed's signature header", """{"uri":"https://hooks.example.com/a","subscriptions":["*"],"headers":{"n-signature":"forged"}}""", ["headers"] },
        { "header value with a line break", """{"uri":"https://hooks.example.com/a","subscriptions":["*"],"headers":{"X-Team":"a\r\nX-Injected: 1"}}""", ["headers"] },
        { "header name with a space", """{"uri":"https://hooks.example.com/a","subscriptions":["*"],"headers":{"X Team":"a"}}""", ["headers"] },
        { "null header value", """{"uri":"https://hooks.example.com/a","subscriptions":["*"],"headers":{"X-Team":null}}""", ["headers"] },
        { "one name twice", """{"uri":"https://hooks.example.com/a","subscriptions":["*"],"headers":{"X-Team":"a","x-team":"b"}}""", ["headers"] },
        { "eleven headers", $$$"""{"uri":"https://hooks.example.com/a","subscriptions":["*"],"headers":{{{{string.Join(",", Enumerable.Range(1, 11).Select(i => $"\"X-H{i}\":\"v\""))}}}}}""", ["headers"] },
        { "unknown ordering", """{"uri":"https://hooks.example.com/a","subscriptions":["*"],"ordering":"fifo"}""", ["ordering"] },
        { "ordering in another case", """{"uri":"https://hooks.example.com/a","subscriptions":["*"],"ordering":"Resource"}""", ["ordering"] },
        { "empty ordering", """{"uri":"https://hooks.example.com/a","subscriptions":["*"],"ordering":""}""", ["ordering"] },
        { "no signatures", """{"uri":"https://hooks.example.com/a","subscriptions":["*"],"signatures":[]}""", ["signatures"] },
        { "unknown signature", """{"uri":"https://hooks.example.com/a","subscriptions":["*"],"signatures":["standard","rsa"]}""", ["signatures"] },
        { "signature in another case", """{"uri":"https://hooks.example.com/a","subscriptions":["*"],"signatures":["N-Signature"]}""", ["signatures"] },
        { "null signature", """{"uri":"https://hooks.example.com/a","subscriptions":["*"],"signatures":[null]}""", ["signatures"] },
        { "one signature twice", """{"uri":"https://hooks.example.com/a","subscriptions":["*"],"signatures":["standard","standard"]}""", ["signatures"] },
        { "three signatures", """{"uri":"https://hooks.example.com/a","subscriptions":["*"],"signatures":["standard","n-signature","standard"]}""", ["signatures"] },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Create_WithInvalidField_Returns422WithOneErrorPerBadField(string because, string json, string[] fields)
    {
        var tenant = await TenantWithOneListenerAsync();
        var before = await tenant.Client.SnapshotAsync();

        using var response = await tenant.Client.PostAsync(Route, Json.Raw(json));

        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, because);
        await Problems.AssertValidationProblemAsync(response, fields);
        Assert.Equal(before, await tenant.Client.SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Update_WithInvalidField_Returns422WithOneErrorPerBadField(string because, string json, string[] fields)
    {
        var tenant = await TenantWithOneListenerAsync();
        var id = (await tenant.Client.ListAsync()).Ids().Single();
        var before = await tenant.Client.SnapshotAsync();

        using var response = await tenant.Client.PutAsync($"{Route}/{id}", Json.Raw(json));

        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, because);
        await Problems.AssertValidationProblemAsync(response, fields);
        Assert.Equal(before, await tenant.Client.SnapshotAsync());
    }

    [Fact]
    public async Task Create_WithUnknownEventCode_Returns422WithFieldError()
    {
        var tenant = await Server.CreateTenantAsync();

        using var response = await tenant.Client.PostAsync(Route, Body("https://hooks.example.com/a", "entitlement.deleted"));

        var problem = await Problems.AssertValidationProblemAsync(response, "subscriptions");
        var message = problem.GetProperty("validationErrors")[0].String("errorMessage");
        Assert.Contains("entitlement.deleted", message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> MalformedBodies => new()
    {
        { "unparsable JSON", """{"uri":"https://hooks.example.com/a","subscriptions":["*"]""" },
        { "not JSON at all", "uri=https://hooks.example.com/a" },
        { "uri is a number", """{"uri":5,"subscriptions":["*"]}""" },
        { "subscriptions is a string", """{"uri":"https://hooks.example.com/a","subscriptions":"*"}""" },
        { "subscriptions holds a number", """{"uri":"https://hooks.example.com/a","subscriptions":[5]}""" },
        { "signatures is a string", """{"uri":"https://hooks.example.com/a","subscriptions":["*"],"signatures":"standard"}""" },
        { "signatures holds a number", """{"uri":"https://hooks.example.com/a","subscriptions":["*"],"signatures":[1]}""" },
        { "signatures is an object", """{"uri":"https://hooks.example.com/a","subscriptions":["*"],"signatures":{"standard":true}}""" },
        { "body is an array", """[{"uri":"https://hooks.example.com/a","subscriptions":["*"]}]""" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Create_WithMalformedJson_Returns400(string because, string json)
    {
        var tenant = await TenantWithOneListenerAsync();
        var before = await tenant.Client.SnapshotAsync();

        using var response = await tenant.Client.PostAsync(Route, Json.Raw(json));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, because);
        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(before, await tenant.Client.SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Update_WithMalformedJson_Returns400(string because, string json)
    {
        var tenant = await TenantWithOneListenerAsync();
        var id = (await tenant.Client.ListAsync()).Ids().Single();
        var before = await tenant.Client.SnapshotAsync();

        using var response = await tenant.Client.PutAsync($"{Route}/{id}", Json.Raw(json));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, because);
        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(before, await tenant.Client.SnapshotAsync());
    }

    [Theory]
    [InlineData("\"standard\"")]
    [InlineData("[true]")]
    public async Task Create_WithSignaturesOfTheWrongJsonType_Returns400NamingTheField(string signatures)
    {
        var tenant = await TenantWithOneListenerAsync();
        var before = await tenant.Client.SnapshotAsync();

        using var response = await tenant.Client.PostAsync(Route, Json.Raw($$"""{"uri":"https://hooks.example.com/a","subscriptions":["*"],"signatures":{{signatures}}}"""));

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "InvalidJson");
        Assert.Contains("at $.signatures", problem.GetRawText(), StringComparison.Ordinal); // the detail names the field
        Assert.Equal(before, await tenant.Client.SnapshotAsync());
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("\"no-such-encoding\"")]
    [InlineData("utf-7")]
    public async Task Create_WithAnUnknownCharset_Returns415_NotA500(string charset)
    {
        var tenant = await TenantWithOneListenerAsync();
        var before = await tenant.Client.SnapshotAsync();
        using var body = new ByteArrayContent("""{"uri":"https://hooks.example.com/a","subscriptions":["*"]}"""u8.ToArray());
        body.Headers.TryAddWithoutValidation("Content-Type", $"application/json; charset={charset}");

        using var response = await tenant.Client.PostAsync(Route, body);

        await Problems.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType");
        Assert.Equal(before, await tenant.Client.SnapshotAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    public async Task Create_WithoutABody_Returns400(string json)
    {
        var tenant = await TenantWithOneListenerAsync();
        var before = await tenant.Client.SnapshotAsync();

        using var response = await tenant.Client.PostAsync(Route, Json.Raw(json));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(before, await tenant.Client.SnapshotAsync());
    }

    [Fact]
    public async Task Create_WithBodyOver64KiB_Returns413()
    {
        var tenant = await TenantWithOneListenerAsync();
        var before = await tenant.Client.SnapshotAsync();

        using var response = await tenant.Client.PostAsync(Route, OversizedBody());

        await Problems.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await tenant.Client.SnapshotAsync());
    }

    [Fact]
    public async Task Update_WithBodyOver64KiB_Returns413()
    {
        var tenant = await TenantWithOneListenerAsync();
        var id = (await tenant.Client.ListAsync()).Ids().Single();
        var before = await tenant.Client.SnapshotAsync();

        using var response = await tenant.Client.PutAsync($"{Route}/{id}", OversizedBody());

        await Problems.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await tenant.Client.SnapshotAsync());
    }

    [Fact]
    public async Task Create_WithTextPlainContentType_Returns415()
    {
        var tenant = await TenantWithOneListenerAsync();
        var before = await tenant.Client.SnapshotAsync();

        using var response = await tenant.Client.PostAsync(Route,
            Json.Raw("""{"uri":"https://hooks.example.com/a","subscriptions":["*"]}""", "text/plain"));

        await Problems.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(before, await tenant.Client.SnapshotAsync());
    }

    [Fact]
    public async Task Update_WithTextPlainContentType_Returns415()
    {
        var tenant = await TenantWithOneListenerAsync();
        var id = (await tenant.Client.ListAsync()).Ids().Single();
        var before = await tenant.Client.SnapshotAsync();

        using var response = await tenant.Client.PutAsync($"{Route}/{id}",
            Json.Raw("""{"uri":"https://hooks.example.com/a","subscriptions":["*"]}""", "text/plain"));

        await Problems.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(before, await tenant.Client.SnapshotAsync());
    }

    [Theory]
    [InlineData("?pageSize=0", "pageSize")]
    [InlineData("?pageSize=101", "pageSize")]
    [InlineData("?pageSize=-1", "pageSize")]
    [InlineData("?pageNumber=0", "pageNumber")]
    [InlineData("?pageNumber=-3&pageSize=10", "pageNumber")]
    [InlineData("?pageNumber=0&pageSize=0", "pageNumber", "pageSize")]
    public async Task List_WithOutOfRangePaging_Returns422WithFieldError(string query, params string[] fields)
    {
        var tenant = await Server.CreateTenantAsync();

        using var response = await tenant.Client.GetAsync(Route + query);

        await Problems.AssertValidationProblemAsync(response, fields);
    }

    [Theory]
    [InlineData("?pageSize=abc")]
    [InlineData("?pageNumber=abc")]
    [InlineData("?pageSize=1.5")]
    [InlineData("?pageNumber=99999999999")]
    public async Task List_WithNonIntegerPaging_Returns400(string query)
    {
        var tenant = await Server.CreateTenantAsync();

        using var response = await tenant.Client.GetAsync(Route + query);

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    public static TheoryData<string> MalformedIds => new()
    {
        "not-a-listener",
        "wh_short",
        "t_AAAAAAAAAAAAAAAAAAAAAA",
        "wh_AAAAAAAAAAAAAAAAAAAAA!",
        "WH_AAAAAAAAAAAAAAAAAAAAAA",
        "wh_AAAAAAAAAAAAAAAAAAAAAAA",
    };

    [Theory]
    [MemberData(nameof(MalformedIds))]
    public async Task Get_WithIdThatIsNotAListenerId_Returns404(string id)
    {
        var tenant = await Server.CreateTenantAsync();

        using var response = await tenant.Client.GetAsync($"{Route}/{Uri.EscapeDataString(id)}");

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "NotFound");
    }

    [Theory]
    [MemberData(nameof(MalformedIds))]
    public async Task Update_WithIdThatIsNotAListenerId_Returns404(string id)
    {
        var tenant = await TenantWithOneListenerAsync();
        var before = await tenant.Client.SnapshotAsync();

        using var response = await tenant.Client.PutAsync($"{Route}/{Uri.EscapeDataString(id)}", Body("https://hooks.example.com/a", "*"));

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "NotFound");
        Assert.Equal(before, await tenant.Client.SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(MalformedIds))]
    public async Task Delete_WithIdThatIsNotAListenerId_Returns404(string id)
    {
        var tenant = await TenantWithOneListenerAsync();
        var before = await tenant.Client.SnapshotAsync();

        using var response = await tenant.Client.DeleteAsync($"{Route}/{Uri.EscapeDataString(id)}");

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "NotFound");
        Assert.Equal(before, await tenant.Client.SnapshotAsync());
    }

    [Fact]
    public async Task Get_WithUnknownListenerId_Returns404()
    {
        var tenant = await Server.CreateTenantAsync();
        var id = UnknownListenerId();
        Assert.Matches(ListenerId(), id);

        using var response = await tenant.Client.GetAsync($"{Route}/{id}");

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "NotFound");
    }

    [Fact]
    public async Task Update_WithUnknownListenerId_Returns404AndCreatesNothing()
    {
        var tenant = await TenantWithOneListenerAsync();
        var before = await tenant.Client.SnapshotAsync();
        var id = UnknownListenerId();

        using var response = await tenant.Client.PutAsync($"{Route}/{id}", Body("https://hooks.example.com/a", "*"));

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "NotFound");
        Assert.Equal(before, await tenant.Client.SnapshotAsync());
        using var get = await tenant.Client.GetAsync($"{Route}/{id}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Delete_WithUnknownListenerId_Returns404()
    {
        var tenant = await TenantWithOneListenerAsync();
        var before = await tenant.Client.SnapshotAsync();

        using var response = await tenant.Client.DeleteAsync($"{Route}/{UnknownListenerId()}");

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "NotFound");
        Assert.Equal(before, await tenant.Client.SnapshotAsync());
    }

    [Fact]
    public async Task Update_WithUnknownIdAndInvalidBody_Returns422()
    {
        var tenant = await Server.CreateTenantAsync();

        using var response = await tenant.Client.PutAsync($"{Route}/{UnknownListenerId()}", Json.Raw("""{"uri":"","subscriptions":["*"]}"""));

        await Problems.AssertValidationProblemAsync(response, "uri");
    }

    private static StringContent OversizedBody()
    {
        // Valid JSON, so the only thing wrong is its size (a 70 KB description would otherwise be a 422).
        var json = new StringBuilder("""{"uri":"https://hooks.example.com/big","subscriptions":["*"],"description":""")
            .Append('x', 70 * 1024)
            .Append("\"}")
            .ToString();
        return Json.Raw(json);
    }

    private async Task<TestTenant> TenantWithOneListenerAsync()
    {
        var tenant = await Server.CreateTenantAsync();
        await tenant.Client.CreateListenerAsync("https://hooks.example.com/baseline", "entitlement.created");
        return tenant;
    }
}
