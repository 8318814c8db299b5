using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Webhooks.Server.Tests;
using static Microsoft.Playwright.Assertions;

namespace Webhooks.Web.Tests;

/// <summary>Sign-in with a pasted tenant key.</summary>
[Collection(WebCollection.Name)]
public sealed class SignInTests(WebFixture fixture)
{
    [Fact]
    public async Task SignIn_WithAWrongKey_SaysSoAndStaysSignedOut()
    {
        var (tenantId, api) = await ApiClient.CreateTenantAsync(fixture.Server.Address, "Wrong keys");
        using var _ = api;
        await using var browser = await BrowserSession.OpenAsync(fixture);
        var page = browser.Page;
        var key = page.GetByLabel("Tenant API key");
        var signIn = page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true });

        await key.FillAsync("dev-platform-key");
        await signIn.ClickAsync();
        await Expect(key).ToHaveAccessibleDescriptionAsync(new Regex("This is not a tenant API key"));
        await Expect(key).ToHaveAttributeAsync("aria-invalid", "true");
        await browser.ScreenshotAsync("not-a-tenant-key");

        // Well-formed, of a real tenant, but not its key: the API refuses it.
        await key.FillAsync($"wk.{tenantId}.AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB");
        await signIn.ClickAsync();
        await Expect(page.GetByText("This API key was not accepted.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main menu" })).ToBeHiddenAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('webhooks.apiKey')"));
        await browser.ScreenshotAsync("key-not-accepted");

        // The right key still works, and signing out forgets it.
        await PageSteps.SignInAsync(page, api.Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('webhooks.apiKey')"));

        browser.AssertNoConsoleErrors(provokedStatuses: 401);
    }
}
