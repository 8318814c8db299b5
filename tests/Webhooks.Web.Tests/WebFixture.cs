using Microsoft.Playwright;
using Webhooks.Server.Tests;

namespace Webhooks.Web.Tests;

/// <summary>
/// One real server (on loopback, data in a temp folder) and one headless Debian Chromium driven by Playwright,
/// shared by the page tests. Deliveries retry after 1 s once and a listener failing for 1 s is disabled, so the
/// failure screens (Redeliver, Enable) can be reached in seconds.
/// </summary>
public sealed class WebFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    // Browser downloads do not work here: Playwright drives the distribution's Chromium with these flags.
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private static readonly TimeSpan CloseLimit = TimeSpan.FromSeconds(30);

    private string? _dataFolder;
    private ServerProcess? _server;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    internal ServerProcess Server => _server ?? throw new InvalidOperationException("The fixture is not initialized.");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ChromiumPath}: the web page tests drive Debian's Chromium. " +
                "Install it with 'apt-get install -y chromium', or run the suite with ./test.sh, which does it when it is missing.");
        }

        _dataFolder = Directory.CreateTempSubdirectory("webhooks-web-tests-").FullName;
        _server = await ServerProcess.StartAsync(_dataFolder, new Dictionary<string, string>
        {
            ["Webhooks__Delivery__RetrySchedule__0"] = "00:00:01",
            ["Webhooks__Delivery__JitterRatio"] = "0",
            ["Webhooks__Delivery__DisableAfter"] = "00:00:01",
            ["Webhooks__Delivery__CircuitBreakerFailures"] = "0",
        });
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        Assertions.SetDefaultExpectTimeout(20_000);
    }

    public async Task DisposeAsync()
    {
        // Playwright puts no limit on closing the browser, and a wedged Chromium would hold the run until CI's own
        // timeout. Past the limit the driver is disposed anyway (it takes its browsers down) and the cleanup fails.
        TimeoutException? closing = null;
        if (_browser is not null)
        {
            try
            {
                await _browser.CloseAsync().WaitAsync(CloseLimit);
            }
            catch (TimeoutException ex)
            {
                closing = ex;
            }
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_dataFolder is not null)
        {
            Directory.Delete(_dataFolder, recursive: true);
        }

        if (closing is not null)
        {
            throw new TimeoutException($"Chromium did not close within {CloseLimit.TotalSeconds} s.", closing);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebFixture>
{
    public const string Name = "Web page";
}
