using System.Runtime.CompilerServices;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Webhooks.Web.Tests;

/// <summary>
/// A fresh browser context (empty storage) on the page, recording console errors and uncaught exceptions,
/// with numbered full-page screenshots in <c>screenshots/&lt;test&gt;/</c> of the test output folder.
/// </summary>
internal sealed class BrowserSession : IAsyncDisposable
{
    public const int DesktopWidth = 1440;
    public const int PhoneWidth = 375;

    private readonly List<string> _consoleErrors = [];
    private readonly List<string> _pageErrors = [];
    private readonly List<string> _requests = [];
    private readonly string _screenshots;
    private int _step;

    private BrowserSession(IBrowserContext context, IPage page, string screenshots)
    {
        Context = context;
        Page = page;
        _screenshots = screenshots;
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                lock (_consoleErrors)
                {
                    _consoleErrors.Add($"{message.Type}: {message.Text} ({message.Location})");
                }
            }
        };
        page.Request += (_, request) =>
        {
            lock (_requests)
            {
                _requests.Add(request.Url);
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_pageErrors)
            {
                _pageErrors.Add(error);
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public static string ScreenshotRoot => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static Task<BrowserSession> OpenAsync(WebFixture fixture, [CallerMemberName] string test = "") =>
        OpenAsync(fixture.Browser, fixture.Server.Address, test);

    /// <summary>A session on the page of another server than the fixture's (one configured differently), in the same browser.</summary>
    public static async Task<BrowserSession> OpenAsync(IBrowser browser, Uri address, [CallerMemberName] string test = "")
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = address.ToString(),
            ViewportSize = new ViewportSize { Width = DesktopWidth, Height = 900 },
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        var folder = Path.Combine(ScreenshotRoot, test);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        var session = new BrowserSession(context, await context.NewPageAsync(), folder);
        await session.Page.GotoAsync("/");
        return session;
    }

    /// <summary>Saves a full-page screenshot as <c>NN-name.png</c> and returns its path; first checks the page shows no stray values.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        await AssertNoStrayTextAsync(name);
        var path = Path.Combine(_screenshots, $"{++_step:00}-{name}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>axe-core (shipped in the test package, injected by the test) finds no accessibility violation on the page as it is now.</summary>
    public async Task AssertAccessibleAsync(string where)
    {
        var result = await Page.RunAxe();
        var violations = result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} — {string.Join("; ", v.Nodes.Select(n => n.Html))}").ToList();
        Assert.True(violations.Count == 0, $"{where}: accessibility violations:\n" + string.Join('\n', violations));
    }

    /// <summary>No text on the page is a leaked JavaScript value: "null", "undefined", "NaN", "[object Object]".</summary>
    public async Task AssertNoStrayTextAsync(string where)
    {
        var stray = await Page.EvaluateAsync<string[]>(
            """
            () => {
              const found = [];
              const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
              for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const text = node.textContent.trim();
                if (['null', 'undefined', 'NaN'].includes(text) || text.includes('[object Object]')) {
                  found.push(text);
                }
              }
              return found;
            }
            """);
        Assert.True(stray.Length == 0, $"{where}: the page shows {string.Join(", ", stray)}.");
    }

    public Task ResizeAsync(int width, int height = 900) => Page.SetViewportSizeAsync(width, height);

    /// <summary>Nothing on the page is wider than the viewport: no sideways scrolling.</summary>
    public async Task AssertNoHorizontalOverflowAsync(string where)
    {
        var widths = await Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"{where}: the page is {widths[0]} px wide in a {widths[1]} px viewport.");
    }

    /// <summary>
    /// No uncaught exception and no console error or warning, except the browser's own "Failed to load resource"
    /// line for an HTTP status the test provoked on purpose (a wrong key's 401, an invalid form's 422).
    /// </summary>
    public void AssertNoConsoleErrors(params int[] provokedStatuses)
    {
        lock (_pageErrors)
        {
            Assert.True(_pageErrors.Count == 0, "Uncaught exceptions on the page:\n" + string.Join('\n', _pageErrors));
        }

        lock (_consoleErrors)
        {
            var unexpected = _consoleErrors
                .Where(e => !provokedStatuses.Any(status => e.Contains($"Failed to load resource: the server responded with a status of {status}", StringComparison.Ordinal)))
                .ToList();
            Assert.True(unexpected.Count == 0, "Console errors or warnings:\n" + string.Join('\n', unexpected));
        }
    }

    /// <summary>Everything the page loaded or called came from the server itself: no CDN, no other host.</summary>
    public void AssertEverythingCameFrom(Uri server)
    {
        lock (_requests)
        {
            Assert.NotEmpty(_requests);
            var elsewhere = _requests.Where(url => !url.StartsWith(server.GetLeftPart(UriPartial.Authority) + "/", StringComparison.Ordinal)).ToList();
            Assert.True(elsewhere.Count == 0, "Requests to other origins:\n" + string.Join('\n', elsewhere));
        }
    }

    /// <summary>Closes the context; Playwright puts no limit on that, so a page that would not close fails the test after 30 s.</summary>
    public async ValueTask DisposeAsync() => await Context.CloseAsync().WaitAsync(TimeSpan.FromSeconds(30));
}
