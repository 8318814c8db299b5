using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Client;
using Webhooks.Client.Generated;
using Webhooks.Client.Generated.Models;

namespace Webhooks.Api.Tests.Infrastructure;

/// <summary>
/// One real server for a test class: the whole <c>Program</c> (silo and API) on Kestrel at a free loopback port,
/// with its own SQLite file and free silo and gateway ports, so several can run side by side in one process.
/// </summary>
public class ApiServer : IAsyncLifetime
{
    public const string PlatformKey = "test-platform-key";

    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "webhooks-api-tests", Guid.NewGuid().ToString("N"));
    private readonly List<HttpClient> _clients = [];
    private WebApplicationFactory<Program>? _factory;

    /// <summary>Every response any client of this server received, so a test can prove none was a 5xx.</summary>
    public ResponseLog Responses { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The SQLite file the server stores everything in.</summary>
    public string DatabasePath => Path.Combine(_dataFolder, "webhooks.db");

    /// <summary>The server's own services (silo and API share them), for what a test must check from inside.</summary>
    public IServiceProvider Services => _factory!.Services;

    /// <summary>A client that sends the platform key and no tenant.</summary>
    public HttpClient Platform { get; private set; } = null!;

    public Task InitializeAsync()
    {
        var settings = new Dictionary<string, string>
        {
            // Kestrel listens where UseKestrel below says; this only keeps the app from choosing its own default.
            ["urls"] = "http://127.0.0.1:0",
            ["ConnectionStrings:Webhooks"] = $"Data Source={DatabasePath}",
            ["Webhooks:Cluster:SiloPort"] = FreeTcpPort().ToString(),
            ["Webhooks:Cluster:GatewayPort"] = FreeTcpPort().ToString(),
            ["Webhooks:Cluster:ClusterId"] = "api-tests-" + Guid.NewGuid().ToString("N"),
            ["Webhooks:Auth:PlatformKey"] = PlatformKey,
        };
        foreach (var (key, value) in AdditionalSettings())
        {
            settings[key] = value;
        }

        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }

            web.ConfigureTestServices(ConfigureServices);
        });
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();

        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseAddress = new Uri(address);
        Platform = CreateClient(PlatformKey);
        return Task.CompletedTask;
    }

    /// <summary>A client over real HTTP; <paramref name="bearer"/> and <paramref name="tenantId"/> become its default headers.</summary>
    public HttpClient CreateClient(string? bearer = null, string? tenantId = null)
    {
        var client = new HttpClient(new ResponseRecorder(Responses, new SocketsHttpHandler { AllowAutoRedirect = false }))
        {
            BaseAddress = BaseAddress,
        };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (tenantId is not null)
        {
            client.DefaultRequestHeaders.Add("N-TenantId", tenantId);
        }

        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }

    /// <summary>
    /// The typed client over real HTTP, with <paramref name="apiKey"/> and <paramref name="tenantId"/> (the platform
    /// key by default); its responses are recorded like every other client's.
    /// </summary>
    public WebhooksApiClient CreateApiClient(string apiKey = PlatformKey, string? tenantId = null)
    {
        var options = new WebhooksClientOptions { BaseAddress = BaseAddress, ApiKey = apiKey, TenantId = tenantId };
        var client = new HttpClient(WebhooksClientFactory.CreateHandler(options, new ResponseRecorder(Responses, new SocketsHttpHandler { AllowAutoRedirect = false })))
        {
            BaseAddress = BaseAddress,
        };
        lock (_clients)
        {
            _clients.Add(client);
        }

        return WebhooksClientFactory.Create(client);
    }

    /// <summary>Creates a tenant through the platform API (with the typed client) and returns it with clients that use its key.</summary>
    public async Task<TestTenant> CreateTenantAsync(string name = "Acme")
    {
        var created = await CreateApiClient().Api.V1.Tenants.PostAsync(new CreateTenantRequest { Name = name });
        Assert.NotNull(created);
        var id = created.Id!;
        var apiKey = created.ApiKey!;
        return new TestTenant(id, apiKey, CreateClient(apiKey), CreateApiClient(apiKey));
    }

    public async Task DisposeAsync()
    {
        lock (_clients)
        {
            _clients.ForEach(c => c.Dispose());
        }

        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the folder is under the temp directory, and a left-over file harms no later run.
        }
    }

    /// <summary>Configuration a derived fixture adds on top of the test defaults.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> AdditionalSettings() => [];

    /// <summary>Services a derived fixture replaces after the server's own registrations (a test double for DNS, say).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    internal static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A tenant created for one test, with a raw client and a typed client that authenticate as it.</summary>
public sealed record TestTenant(string Id, string ApiKey, HttpClient Client, WebhooksApiClient Api);
