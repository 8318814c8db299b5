using System.Net;
using Webhooks.Api.Tests.Infrastructure;

namespace Webhooks.Api.Tests.Errors;

/// <summary>Requests no endpoint matches get problem bodies too, not the framework's empty 404 and 405.</summary>
public sealed class UnmatchedRequestTests(ApiServer server) : ApiTest(server), IClassFixture<ApiServer>
{
    [Theory]
    [InlineData("/api/v1/no-such-thing")]
    [InlineData("/api/v2/account/webhooks")]
    [InlineData("/api/v1/account/webhooks/wh_AAAAAAAAAAAAAAAAAAAAAA/no-such-action")]
    [InlineData("/api/v1/account/webhooks/..%2f..%2ftenants")] // a listener id that cannot exist
    public async Task UnknownPath_Returns404Problem(string path)
    {
        var tenant = await Server.CreateTenantAsync();

        using var response = await tenant.Client.GetAsync(path);

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("DELETE", "/api/v1/account/webhooks")]
    [InlineData("PATCH", "/api/v1/account/webhooks/wh_AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("DELETE", "/api/v1/events")]
    [InlineData("PUT", "/api/v1/tenants")]
    public async Task WrongMethod_Returns405Problem(string method, string path)
    {
        var tenant = await Server.CreateTenantAsync();

        using var response = await tenant.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await Problems.AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed");
    }
}
