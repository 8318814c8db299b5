using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Webhooks.Abstractions.Publishing;
using Webhooks.Grains.Delivery;

namespace Webhooks.Benchmarks;

/// <summary>
/// The product: the server's own <c>Program</c> (Orleans silo and HTTP API) hosted in this process on Kestrel at a
/// free loopback port, with its own database and free silo ports, in the Development environment (the development
/// platform key; listeners on loopback allowed). Nothing of the product is replaced: storage, signing, delivery and
/// the API are the ones a user runs. Only the host's logs go to standard error, so the table stays readable.
/// </summary>
internal sealed class ServerUnderTest : IAsyncDisposable
{
    public const string PlatformKey = "dev-platform-key";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly List<string> Folders = [];

    private readonly WebApplicationFactory<global::Program> _factory;
    private readonly string _folder;
    private readonly HttpClient _platform;

    private ServerUnderTest(WebApplicationFactory<global::Program> factory, string folder, Uri address)
    {
        _factory = factory;
        _folder = folder;
        Address = address;
        _platform = CreateClient(PlatformKey);
    }

    public Uri Address { get; }

    public IServiceProvider Services => _factory.Services;

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public IWebhookPublisher Publisher => Services.GetRequiredService<IWebhookPublisher>();

    public DeliveryOptions DeliveryOptions => Services.GetRequiredService<IOptions<DeliveryOptions>>().Value;

    /// <param name="options">The benchmark's options.</param>
    /// <param name="storage">The store the server runs on.</param>
    /// <param name="name">Names the server's data folder.</param>
    /// <param name="collectionAge">When set, Orleans' idle-grain collection age (and a quantum to match) for this server.</param>
    public static Task<ServerUnderTest> StartAsync(BenchmarkOptions options, Storage storage, string name, TimeSpan? collectionAge = null) =>
        Task.Run(async () =>
        {
            var folder = Path.Combine(options.DataFolder, $"{name}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(folder);
            lock (Folders)
            {
                Folders.Add(folder);
            }

            var settings = new Dictionary<string, string>
            {
                ["urls"] = "http://127.0.0.1:0",
                ["Webhooks:Cluster:SiloPort"] = FreeTcpPort().ToString(),
                ["Webhooks:Cluster:GatewayPort"] = FreeTcpPort().ToString(),
                ["Webhooks:Cluster:ClusterId"] = "bench-" + Guid.NewGuid().ToString("N"),
                ["Webhooks:Auth:PlatformKey"] = PlatformKey,
                ["Webhooks:DataProtection:KeysFolder"] = Path.Combine(folder, "keys"),
                ["Logging:Console:LogToStandardErrorThreshold"] = "Trace",
                // The routing scenario puts 10 000 listeners in one tenant, and the load generator may use tenant keys.
                ["Webhooks:Limits:MaxListenersPerTenant"] = "1000000",
                ["Webhooks:RateLimits:TenantKeyTokenLimit"] = "0",
            };
            foreach (var (key, value) in await storage.SettingsAsync(folder))
            {
                settings[key] = value;
            }

            // WebApplicationFactory looks for its manifest in the current directory, which `dotnet run` does not set
            // to the output folder; its documented override is this variable, so the run works from any directory.
            Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_WEBHOOKS_SERVER", ServerContentRoot());
            var factory = new WebApplicationFactory<global::Program>().WithWebHostBuilder(web =>
            {
                web.UseEnvironment("Development");
                foreach (var (key, value) in settings)
                {
                    web.UseSetting(key, value);
                }

                if (collectionAge is { } age)
                {
                    web.ConfigureTestServices(services => services.PostConfigure<GrainCollectionOptions>(o =>
                    {
                        o.CollectionAge = age;
                        o.CollectionQuantum = TimeSpan.FromSeconds(Math.Clamp(age.TotalSeconds / 4, 1, 60));
                    }));
                }
            });
            factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            factory.StartServer();
            var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            return new ServerUnderTest(factory, folder, new Uri(address + "/"));
        });

    /// <summary>An HTTP client of the API over loopback, sending <paramref name="bearer"/>.</summary>
    public HttpClient CreateClient(string bearer)
    {
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseCookies = false })
        {
            BaseAddress = Address,
            Timeout = TimeSpan.FromMinutes(10),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    /// <summary>Creates a tenant through the platform API.</summary>
    public async Task<Tenant> CreateTenantAsync(string name)
    {
        using var response = await _platform.PostAsJsonAsync("api/v1/tenants", new { name });
        await EnsureAsync(response, HttpStatusCode.Created);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json);
        var id = body.GetProperty("id").GetString()!;
        var key = body.GetProperty("apiKey").GetString()!;
        var client = CreateClient(key);
        var credentials = await client.GetFromJsonAsync<JsonElement>("api/v1/account/credentials", Json);
        return new Tenant(id, key, client, credentials.GetProperty("publicKeyModulus").GetString()!, credentials.GetProperty("publicKeyExponent").GetString()!);
    }

    /// <summary>The event codes of the catalog, as the API lists them.</summary>
    public async Task<string[]> EventCodesAsync(Tenant tenant)
    {
        var list = await tenant.Client.GetFromJsonAsync<JsonElement>("api/v1/account/webhooks/events", Json);
        return [.. list.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("code").GetString()!)];
    }

    /// <summary>
    /// Creates a listener of one event code through the API, taking <paramref name="signatures"/>, unordered unless
    /// <paramref name="ordering"/> says; returns its id and signing secret.
    /// </summary>
    public static async Task<(string Id, string Secret)> CreateListenerAsync(Tenant tenant, Uri uri, string subscription, IReadOnlyList<string> signatures, string? ordering = null)
    {
        using var response = await tenant.Client.PostAsJsonAsync("api/v1/account/webhooks", new { uri = uri.ToString(), subscriptions = new[] { subscription }, ordering, signatures });
        await EnsureAsync(response, HttpStatusCode.Created);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json);
        return (body.GetProperty("id").GetString()!, body.GetProperty("secret").GetString()!);
    }

    /// <summary>How many deliveries a listener has with <paramref name="status"/>, from its delivery log.</summary>
    public static async Task<int> DeliveriesAsync(Tenant tenant, string listenerId, string status)
    {
        var page = await tenant.Client.GetFromJsonAsync<JsonElement>($"api/v1/account/webhooks/{listenerId}/deliveries?status={status}&pageSize=1", Json);
        return page.GetProperty("elementsTotal").GetInt32();
    }

    public static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, not {(int)expected}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _platform.Dispose();
        await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TryDelete(_folder);
    }

    /// <summary>
    /// Deletes every server's folder once more at the end of the run: a disposed host can still write a file (its key
    /// ring, say) a moment after it stopped, which leaves its folder behind.
    /// </summary>
    public static void DeleteFolders()
    {
        lock (Folders)
        {
            Folders.ForEach(TryDelete);
            Folders.Clear();
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: the folder is under the data folder, and a left-over file harms no later run.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }

    /// <summary>The server project's folder (its appsettings.json and wwwroot), from the manifest the build writes.</summary>
    private static string ServerContentRoot()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "MvcTestingAppManifest.json")));
        var assembly = typeof(global::Program).Assembly.GetName().Name + ",";
        return manifest.RootElement.EnumerateObject().First(p => p.Name.StartsWith(assembly, StringComparison.Ordinal)).Value.GetString()!;
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A tenant of the server under test, with a client that uses its key and its public signing key.</summary>
internal sealed record Tenant(string Id, string ApiKey, HttpClient Client, string PublicKeyModulus, string PublicKeyExponent);
