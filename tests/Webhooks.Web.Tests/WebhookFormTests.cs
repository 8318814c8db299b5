using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Webhooks.Server.Tests;
using static Microsoft.Playwright.Assertions;

namespace Webhooks.Web.Tests;

/// <summary>The Add Webhook form: the API's validation errors, and keyboard use.</summary>
[Collection(WebCollection.Name)]
public sealed class WebhookFormTests(WebFixture fixture)
{
    [Fact]
    public async Task AddWebhook_WhenTheApiRejectsIt_ShowsEachValidationErrorNextToItsField()
    {
        var (_, api) = await ApiClient.CreateTenantAsync(fixture.Server.Address, "Validation");
        using var _ = api;
        await using var browser = await BrowserSession.OpenAsync(fixture);
        var page = browser.Page;
        await PageSteps.SignInAsync(page, api.Key);

        await page.GetByRole(AriaRole.Button, new() { Name = "Add Webhook" }).ClickAsync();
        var uri = page.GetByLabel("URI", new() { Exact = true });
        await uri.FillAsync("ftp://example.com/hooks");
        var rate = page.GetByLabel("Max deliveries per second (optional)");
        await rate.FillAsync("0");
        var headers = page.GetByLabel("Request headers (optional)");
        await headers.FillAsync("Content-Type: text/plain");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();

        // The messages are the API's own (validationErrors[].errorMessage), each tied to its field.
        await Expect(uri).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(uri).ToBeFocusedAsync();
        await Expect(page.Locator("#uri-error")).ToHaveTextAsync("The uri must be an absolute http or https URI.");
        await Expect(uri).ToHaveAccessibleDescriptionAsync(new Regex("The uri must be an absolute http or https URI\\."));
        await Expect(page.Locator("#subscriptions-error")).ToContainTextAsync("Subscribe to at least one event code");
        await Expect(rate).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#maxDeliveriesPerSecond-error")).ToContainTextAsync("between 0.01 and 10000");
        await Expect(headers).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#headers-error")).ToContainTextAsync("cannot be set per listener");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Select events", Exact = true }))
            .ToHaveAccessibleDescriptionAsync(new Regex("Subscribe to at least one event code"));
        await browser.AssertAccessibleAsync("the form with errors");
        await browser.ScreenshotAsync("validation-errors");

        // Fixed, it saves; "All events" subscribes to "*".
        await uri.FillAsync("https://example.com/hooks");
        await rate.FillAsync("2.5");
        await page.GetByLabel("Delivery order").SelectOptionAsync("resource");
        await headers.FillAsync("Authorization: Bearer page-token-abcdef1234\n\nX-Team: billing");
        await page.GetByRole(AriaRole.Button, new() { Name = "Select events", Exact = true }).ClickAsync();
        var picker = page.GetByRole(AriaRole.Dialog, new() { Name = "Select events" });
        await picker.GetByRole(AriaRole.Checkbox, new() { Name = "All events" }).CheckAsync();
        await Expect(picker.GetByRole(AriaRole.Checkbox, new() { Name = "customer.created", Exact = true })).ToBeDisabledAsync();
        await picker.GetByRole(AriaRole.Button, new() { Name = "Save Events", Exact = true }).ClickAsync();
        await Expect(page.Locator("#subscriptions-error")).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(PageSteps.Entry(page, "https://example.com/hooks")).ToContainTextAsync("All events");
        var list = await api.SendAsync(HttpMethod.Get, "api/v1/account/webhooks", null, HttpStatusCode.OK);
        var saved = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal("*", Assert.Single(saved.GetProperty("subscriptions").EnumerateArray()).GetString());
        Assert.Equal(2.5, saved.GetProperty("maxDeliveriesPerSecond").GetDouble());
        Assert.Equal("resource", saved.GetProperty("ordering").GetString());
        Assert.Equal("***1234", saved.GetProperty("headers").GetProperty("Authorization").GetString());
        await browser.ScreenshotAsync("saved-all-events");

        // The webhook's page shows the order; its edit form starts from it.
        await page.GetByRole(AriaRole.Link, new() { Name = "https://example.com/hooks", Exact = true }).ClickAsync();
        await Expect(page.Locator("dl.facts").First).ToContainTextAsync("Delivery orderPer resource, in order");
        await page.GetByRole(AriaRole.Button, new() { Name = "edit", Exact = true }).ClickAsync();
        await Expect(page.GetByLabel("Delivery order")).ToHaveValueAsync("resource");

        // Saved with the masked values left as shown: the stored values stay (a stored mask would show as "***").
        await Expect(headers).ToHaveValueAsync("Authorization: ***1234\nX-Team: ***");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.Locator("dl.facts").First).ToContainTextAsync("Request headers");
        var kept = await api.SendAsync(HttpMethod.Get, $"api/v1/account/webhooks/{saved.GetProperty("id").GetString()}", null, HttpStatusCode.OK);
        Assert.Equal("***1234", kept.GetProperty("headers").GetProperty("Authorization").GetString());

        browser.AssertNoConsoleErrors(provokedStatuses: 422);
    }

    [Fact]
    public async Task ClosingTheEventsDialog_LeavesFocusWhereTheUserHasAlreadyMovedIt()
    {
        var (_, api) = await ApiClient.CreateTenantAsync(fixture.Server.Address, "Focus");
        using var _ = api;
        await using var browser = await BrowserSession.OpenAsync(fixture);
        var page = browser.Page;
        await PageSteps.SignInAsync(page, api.Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add Webhook" }).ClickAsync();
        var select = page.GetByRole(AriaRole.Button, new() { Name = "Select events", Exact = true });
        await select.ClickAsync();
        var picker = page.GetByRole(AriaRole.Dialog, new() { Name = "Select events" });
        await Expect(picker).ToBeVisibleAsync();

        // A fast keyboard user: the dialog closes and focus moves on to Save before the dialog's close event runs.
        await page.EvaluateAsync("""
            () => {
              document.querySelector('dialog[open]').close();
              [...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Save').focus();
            }
            """);
        // The close handler removes the dialog before it decides on focus: once it is gone, that decision is made.
        await Expect(page.Locator("dialog")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true })).ToBeFocusedAsync();

        // Closed without moving on, focus still returns to the button that opened it.
        await select.ClickAsync();
        await Expect(picker).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(picker).ToBeHiddenAsync();
        await Expect(select).ToBeFocusedAsync();
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task AddWebhook_WithTheKeyboardAlone_Works()
    {
        var (_, api) = await ApiClient.CreateTenantAsync(fixture.Server.Address, "Keyboard");
        using var _ = api;
        await using var browser = await BrowserSession.OpenAsync(fixture);
        var page = browser.Page;
        var keyboard = page.Keyboard;

        await page.GetByLabel("Tenant API key").FocusAsync();
        await keyboard.TypeAsync(api.Key);
        await keyboard.PressAsync("Enter");
        var add = page.GetByRole(AriaRole.Button, new() { Name = "Add Webhook" });
        await Expect(add).ToBeVisibleAsync();
        await add.FocusAsync();
        await keyboard.PressAsync("Enter");

        // Tab order follows the seed's steps: URI, description, Select events … (the optional rate limit, delivery order and headers) Save.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Add Webhook", Level = 1 })).ToBeFocusedAsync();
        await keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("URI", new() { Exact = true })).ToBeFocusedAsync();
        await keyboard.TypeAsync("https://example.com/keyboard");
        await keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Description (optional)")).ToBeFocusedAsync();
        await keyboard.PressAsync("Tab");
        var select = page.GetByRole(AriaRole.Button, new() { Name = "Select events", Exact = true });
        await Expect(select).ToBeFocusedAsync();
        await keyboard.PressAsync("Enter");

        var picker = page.GetByRole(AriaRole.Dialog, new() { Name = "Select events" });
        await Expect(picker.GetByRole(AriaRole.Checkbox, new() { Name = "All events" })).ToBeFocusedAsync();
        await keyboard.PressAsync("Tab");
        await Expect(picker.GetByRole(AriaRole.Checkbox, new() { Name = "All customer events" })).ToBeFocusedAsync();
        await keyboard.PressAsync("Tab");
        await Expect(picker.GetByRole(AriaRole.Checkbox, new() { Name = "customer.created", Exact = true })).ToBeFocusedAsync();
        await keyboard.PressAsync("Space");
        await Expect(picker.GetByRole(AriaRole.Checkbox, new() { Name = "customer.created", Exact = true })).ToBeCheckedAsync();

        // On through every event of the catalog and Cancel to "Save Events", the dialog's last control.
        var saveEvents = picker.GetByRole(AriaRole.Button, new() { Name = "Save Events", Exact = true });
        for (var presses = 0; presses < 40 && !await saveEvents.EvaluateAsync<bool>("b => b === document.activeElement"); presses++)
        {
            await keyboard.PressAsync("Tab");
        }

        await Expect(saveEvents).ToBeFocusedAsync();
        await keyboard.PressAsync("Enter");
        await Expect(picker).ToBeHiddenAsync();
        await Expect(select).ToBeFocusedAsync();

        // The optional rate limit, left empty, the delivery order, left as it is, the headers, left empty, and both
        // signatures, left checked, then Save.
        await keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Max deliveries per second (optional)")).ToBeFocusedAsync();
        await keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Delivery order")).ToBeFocusedAsync();
        await Expect(page.GetByLabel("Delivery order")).ToHaveValueAsync("none");
        await keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Request headers (optional)")).ToBeFocusedAsync();
        foreach (var signature in new[] { "N-Signature (RSA)", "Standard Webhooks (HMAC)" })
        {
            await keyboard.PressAsync("Tab");
            await Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = signature })).ToBeFocusedAsync();
            await Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = signature })).ToBeCheckedAsync();
        }

        await keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true })).ToBeFocusedAsync();
        await keyboard.PressAsync("Enter");
        await Expect(PageSteps.Entry(page, "https://example.com/keyboard")).ToContainTextAsync("customer.created");
        await browser.ScreenshotAsync("added-by-keyboard");

        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Signatures_BothCheckedByDefault_AtLeastOneRequired_AndTheChoiceIsSavedAndShownBack()
    {
        var (_, api) = await ApiClient.CreateTenantAsync(fixture.Server.Address, "Signatures");
        using var _ = api;
        await using var browser = await BrowserSession.OpenAsync(fixture);
        var page = browser.Page;
        await PageSteps.SignInAsync(page, api.Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add Webhook" }).ClickAsync();
        await page.GetByLabel("URI", new() { Exact = true }).FillAsync("https://example.com/signatures");
        await page.GetByRole(AriaRole.Button, new() { Name = "Select events", Exact = true }).ClickAsync();
        var picker = page.GetByRole(AriaRole.Dialog, new() { Name = "Select events" });
        await picker.GetByRole(AriaRole.Checkbox, new() { Name = "All events" }).CheckAsync();
        await picker.GetByRole(AriaRole.Button, new() { Name = "Save Events", Exact = true }).ClickAsync();
        var rsa = page.GetByRole(AriaRole.Checkbox, new() { Name = "N-Signature (RSA)" });
        var standard = page.GetByRole(AriaRole.Checkbox, new() { Name = "Standard Webhooks (HMAC)" });
        await Expect(rsa).ToBeCheckedAsync();
        await Expect(standard).ToBeCheckedAsync();

        // Neither: the page says so next to the boxes and sends nothing.
        await rsa.UncheckAsync();
        await standard.UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.Locator("#signatures-error")).ToHaveTextAsync("Choose at least one signature.");
        await Expect(rsa).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(rsa).ToBeFocusedAsync();
        await Expect(standard).ToHaveAccessibleDescriptionAsync(new Regex("Choose at least one signature\\."));
        await browser.AssertAccessibleAsync("the signatures left empty");
        var none = await api.SendAsync(HttpMethod.Get, "api/v1/account/webhooks", null, HttpStatusCode.OK);
        Assert.Empty(none.GetProperty("items").EnumerateArray());

        // Standard only, with the keyboard: saved, shown on the webhook's page, and the edit form starts from it.
        await standard.FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(PageSteps.Entry(page, "https://example.com/signatures")).ToContainTextAsync("All events");
        var list = await api.SendAsync(HttpMethod.Get, "api/v1/account/webhooks", null, HttpStatusCode.OK);
        var saved = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(["standard"], saved.GetProperty("signatures").EnumerateArray().Select(s => s.GetString()));
        await page.GetByRole(AriaRole.Link, new() { Name = "https://example.com/signatures", Exact = true }).ClickAsync();
        await Expect(page.Locator("dl.facts").First).ToContainTextAsync("SignaturesStandard Webhooks (HMAC)");
        await page.GetByRole(AriaRole.Button, new() { Name = "edit", Exact = true }).ClickAsync();
        await Expect(rsa).Not.ToBeCheckedAsync();
        await Expect(standard).ToBeCheckedAsync();
        await browser.AssertAccessibleAsync("the edit form with one signature");

        // Switched to the N-Signature alone.
        await rsa.CheckAsync();
        await standard.UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.Locator("dl.facts").First).ToContainTextAsync("SignaturesN-Signature (RSA)");
        var switched = await api.SendAsync(HttpMethod.Get, $"api/v1/account/webhooks/{saved.GetProperty("id").GetString()}", null, HttpStatusCode.OK);
        Assert.Equal(["n-signature"], switched.GetProperty("signatures").EnumerateArray().Select(s => s.GetString()));

        browser.AssertNoConsoleErrors();
    }
}
