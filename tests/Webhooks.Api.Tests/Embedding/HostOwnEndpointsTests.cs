using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Api.Tests.Infrastructure;

namespace Webhooks.Api.Tests.Embedding;

/// <summary>
/// The embedding host with endpoints of its own, its own problem-details customization and its own rate limiter,
/// all registered after the API's.
/// </summary>
public sealed class HostEndpointsEmbeddingHost : EmbeddingHost
{
    public const string Own = "/platform/own";
    public const string HostLimiter = "host-limiter";

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c => c.ProblemDetails.Extensions["host"] = "platform");
        services.AddRateLimiter(o => o.AddFixedWindowLimiter(HostLimiter, w =>
        {
            w.PermitLimit = 1;
            w.Window = TimeSpan.FromHours(1);
            w.QueueLimit = 0;
        }));
    }

    protected override void MapHostEndpoints(WebApplication app)
    {
        app.MapGet(Own + "/conflict", () => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Seat already taken"));
        app.MapGet(Own + "/failure", string () => throw new InvalidOperationException("the platform's own bug"));
        app.MapGet(Own + "/limited", () => "ok").RequireRateLimiting(HostLimiter);
        app.MapPost(Own + "/seats", (SeatsRequest seats) => seats.Count);
    }
}

/// <summary>A body of the host's own.</summary>
public sealed record SeatsRequest(int Count);

/// <summary>
/// What the API registers app-wide acts on its own requests only: the host's endpoints keep the host's problem
/// bodies, exception handling and rate-limit rejections, while the API's keep theirs.
/// </summary>
public sealed class HostOwnEndpointsTests(HostEndpointsEmbeddingHost host) : IClassFixture<HostEndpointsEmbeddingHost>
{
    [Fact]
    public async Task HostProblem_IsWrittenByTheHostsWriter_WithTheHostsCustomization_AndNoneOfTheApis()
    {
        using var client = host.CreateClient();
        using var response = await client.GetAsync(HostEndpointsEmbeddingHost.Own + "/conflict");

        var body = await AssertHostsProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("Seat already taken", body.String("title"));
    }

    [Fact]
    public async Task HostException_IsLeftToTheHostsHandling_NotAnsweredByTheApisHandler()
    {
        using var client = host.CreateClient();
        using var response = await client.GetAsync(HostEndpointsEmbeddingHost.Own + "/failure");

        await AssertHostsProblemAsync(response, HttpStatusCode.InternalServerError);
        Assert.False(response.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task HostBindingFailure_IsStillA400_WithTheHostsProblemBody()
    {
        using var client = host.CreateClient();
        using var response = await client.PostAsync(HostEndpointsEmbeddingHost.Own + "/seats", Json.Raw("{\"count\": \"many\"}"));

        await AssertHostsProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task HostRateLimiter_KeepsItsOwnRejectionStatus()
    {
        using var client = host.CreateClient();
        using var first = await client.GetAsync(HostEndpointsEmbeddingHost.Own + "/limited");
        using var second = await client.GetAsync(HostEndpointsEmbeddingHost.Own + "/limited");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode); // the framework's default, which the host did not change
    }

    [Fact]
    public async Task ApiError_KeepsTheApisProblemBody_WithoutTheHostsCustomization_WhateverTheAcceptHeader()
    {
        var (_, client) = await host.TenantUserAsync("uma", "Accept Ltd");
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/account/webhooks/wh_unknown");
        request.Headers.Add("Accept", "application/xml");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await Json.ReadObjectAsync(response);
        Assert.Equal("NotFound", body.String("errorCode"));
        Assert.False(body.TryGetProperty("host", out _), body.ToString());
    }

    /// <summary>A problem body the host's own writer made, with the host's customization and none of the API's fields.</summary>
    private static async Task<System.Text.Json.JsonElement> AssertHostsProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        var body = await Json.ReadObjectAsync(response);
        Assert.Equal("platform", body.String("host"));
        Assert.False(body.TryGetProperty("errorCode", out _), body.ToString());
        return body;
    }
}
