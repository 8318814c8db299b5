using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Webhooks.Server.Tests;
using static Microsoft.Playwright.Assertions;

namespace Webhooks.Web.Tests;

/// <summary>Picking events, a type with a schema shows its example payload and schema, folded away and open to the keyboard.</summary>
[Collection(WebCollection.Name)]
public sealed class EventSchemaTests(WebFixture fixture, EventSchemaServer schemas) : IClassFixture<EventSchemaServer>
{
    [Fact]
    public async Task SelectEvents_ShowsTheExamplePayloadAndSchema_OfATypeThatHasThem_OpenedByKeyboard()
    {
        var (_, api) = await ApiClient.CreateTenantAsync(schemas.Server.Address, "Schemas");
        using var _ = api;
        await using var browser = await BrowserSession.OpenAsync(fixture.Browser, schemas.Server.Address);
        var page = browser.Page;
        await PageSteps.SignInAsync(page, api.Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add Webhook" }).ClickAsync();
        await page.GetByLabel("URI", new() { Exact = true }).FillAsync("https://example.com/licenses");
        await page.GetByRole(AriaRole.Button, new() { Name = "Select events", Exact = true }).ClickAsync();
        var picker = page.GetByRole(AriaRole.Dialog, new() { Name = "Select events" });

        var withSchema = picker.Locator("li.event-option", new() { Has = page.GetByRole(AriaRole.Checkbox, new() { Name = EventSchemaServer.SchemaCode, Exact = true }) });
        var plain = picker.Locator("li.event-option", new() { Has = page.GetByRole(AriaRole.Checkbox, new() { Name = EventSchemaServer.PlainCode, Exact = true }) });
        var summary = withSchema.GetByText("Example payload and schema", new() { Exact = true });
        await Expect(summary).ToBeVisibleAsync();
        await Expect(plain.Locator("details")).ToHaveCountAsync(0);
        var example = withSchema.Locator("pre").First;
        await Expect(example).ToBeHiddenAsync();

        // From the type's checkbox, Tab reaches the expander and Enter opens it.
        var box = picker.GetByRole(AriaRole.Checkbox, new() { Name = EventSchemaServer.SchemaCode, Exact = true });
        await box.FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(summary).ToBeFocusedAsync();
        await Expect(summary).ToHaveAccessibleNameAsync($"Example payload and schema of {EventSchemaServer.SchemaCode}");
        await page.Keyboard.PressAsync("Enter");

        await Expect(example).ToBeVisibleAsync();
        await Expect(example).ToContainTextAsync("\"seats\": 3");
        var schema = withSchema.Locator("pre").Nth(1);
        await Expect(schema).ToContainTextAsync(new Regex("\"minimum\": 1"));
        await Expect(schema).ToContainTextAsync("\"required\"");
        await browser.AssertAccessibleAsync("the events picker with a schema open");
        await browser.ScreenshotAsync("schema-open");

        // Opening it chose nothing; the type is still picked with its checkbox.
        await Expect(box).Not.ToBeCheckedAsync();
        await box.CheckAsync();
        await picker.GetByRole(AriaRole.Button, new() { Name = "Save Events", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(PageSteps.Entry(page, "https://example.com/licenses")).ToContainTextAsync(EventSchemaServer.SchemaCode);
        var list = await api.SendAsync(HttpMethod.Get, "api/v1/account/webhooks", null, HttpStatusCode.OK);
        var saved = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(EventSchemaServer.SchemaCode, Assert.Single(saved.GetProperty("subscriptions").EnumerateArray()).GetString());

        browser.AssertNoConsoleErrors();
    }
}
