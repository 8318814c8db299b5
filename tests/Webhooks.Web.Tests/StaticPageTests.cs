using System.Net;

namespace Webhooks.Web.Tests;

/// <summary>The page is served at / from the server's own static files, beside the API reference.</summary>
[Collection(WebCollection.Name)]
public sealed class StaticPageTests(WebFixture fixture)
{
    [Fact]
    public async Task Root_ServesThePageWithItsPolicy_AndTheApiReferenceStays()
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.Address };

        using var page = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", string.Join(' ', page.Headers.GetValues("Content-Security-Policy")));
        Assert.Contains("<script type=\"module\" src=\"/js/app.js\"></script>", await page.Content.ReadAsStringAsync());

        using var script = await http.GetAsync("/js/app.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);

        using var openApi = await http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        using var scalar = await http.GetAsync("/scalar/");
        Assert.Equal(HttpStatusCode.OK, scalar.StatusCode);
    }
}
