using System.Net;
using System.Text;
using Webhooks.Api.Tests.Infrastructure;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Errors;

/// <summary>
/// Errors are problem bodies whatever the client says it accepts: an <c>Accept</c> naming only XML or HTML, refusing
/// everything, or not parsing at all once turned every error path into a bodiless 500.
/// </summary>
public sealed class AcceptHeaderTests(ApiServer server) : ApiTest(server), IClassFixture<ApiServer>
{
    public static TheoryData<string> Accepts =>
    [
        "application/xml",
        "text/html",
        "*/*;q=0",
        "application/json;q=0",
        "text/html, application/xhtml+xml, application/xml;q=0.9",
        "garbage;;==",
        "/",
        "application/problem+xml",
    ];

    [Theory]
    [MemberData(nameof(Accepts))]
    public async Task EveryErrorPath_WithAnyAccept_AnswersAJsonProblem(string accept)
    {
        var tenant = await Server.CreateTenantAsync();
        var listenerId = (await tenant.Client.CreateListenerAsync()).String("id");

        // The authentication challenge, and its refusal of a tenant key on the platform's endpoints.
        await AssertProblemAsync(Server.CreateClient(), accept, HttpMethod.Get, Route, null, HttpStatusCode.Unauthorized, "Unauthorized");
        await AssertProblemAsync(tenant.Client, accept, HttpMethod.Get, $"api/v1/tenants/{tenant.Id}/keys", null, HttpStatusCode.Forbidden, "Forbidden");

        // Routing, the handlers' own answers, body binding and validation.
        await AssertProblemAsync(tenant.Client, accept, HttpMethod.Get, "api/v1/no-such-thing", null, HttpStatusCode.NotFound, "NotFound");
        await AssertProblemAsync(tenant.Client, accept, HttpMethod.Get, $"{Route}/{UnknownListenerId()}", null, HttpStatusCode.NotFound, "NotFound");
        await AssertProblemAsync(tenant.Client, accept, HttpMethod.Patch, $"{Route}/{listenerId}", null, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed");
        await AssertProblemAsync(tenant.Client, accept, HttpMethod.Post, Route, Json.Raw("{\"uri\":"), HttpStatusCode.BadRequest, "InvalidJson");
        await AssertProblemAsync(tenant.Client, accept, HttpMethod.Post, Route, new StringContent("uri=x", Encoding.UTF8, "text/plain"), HttpStatusCode.UnsupportedMediaType, null);
        await AssertProblemAsync(tenant.Client, accept, HttpMethod.Post, Route, Body("not a uri", "entitlement.created"), HttpStatusCode.UnprocessableEntity, "ValidationFailed");
        await AssertProblemAsync(tenant.Client, accept, HttpMethod.Get, Route + "?pageNumber=abc", null, HttpStatusCode.BadRequest, null);
    }

    [Theory]
    [MemberData(nameof(Accepts))]
    public async Task SuccessfulCalls_WithAnyAccept_StillAnswerJson(string accept)
    {
        var tenant = await Server.CreateTenantAsync();
        var listenerId = (await tenant.Client.CreateListenerAsync()).String("id");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Route}/{listenerId}");
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await tenant.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(listenerId, (await Json.ReadObjectAsync(response)).String("id"));
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("bogus, *;q=0")]
    [InlineData("iso-8859-1;q=1, utf-8;q=0")]
    public async Task AnAcceptCharsetTheServerDoesNotSpeak_StillGetsUtf8Problems(string charset)
    {
        var tenant = await Server.CreateTenantAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Route}/{UnknownListenerId()}");
        request.Headers.TryAddWithoutValidation("Accept-Charset", charset);
        using var response = await tenant.Client.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "NotFound");
    }

    private static async Task AssertProblemAsync(
        HttpClient client, string accept, HttpMethod method, string path, HttpContent? content, HttpStatusCode status, string? errorCode)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await client.SendAsync(request);
        await Problems.AssertProblemAsync(response, status, errorCode);
    }
}
