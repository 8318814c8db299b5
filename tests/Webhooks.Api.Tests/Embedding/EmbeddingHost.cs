using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Grains.Hosting;
using Webhooks.Grains.Storage;

namespace Webhooks.Api.Tests.Embedding;

/// <summary>
/// A platform's own ASP.NET Core app, not this project's server: a silo with the dispatcher on a real SQLite file,
/// the host's own authentication as the default scheme, and the API mounted under <see cref="Prefix"/> with a tenant
/// resolver reading the host's claim. Kestrel on a free loopback port; the Production environment.
/// </summary>
public class EmbeddingHost : IAsyncLifetime
{
    public const string Prefix = "/platform/webhooks";
    public const string PlatformKey = "embedding-platform-key";

    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "webhooks-api-tests", Guid.NewGuid().ToString("N"));
    private readonly List<HttpClient> _clients = [];
    private WebApplication? _app;

    public HostUsers Users { get; } = new();

    /// <summary>Every response any client of this host received, so a test can prove none was a 5xx.</summary>
    public ResponseLog Responses { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataFolder);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(AdditionalSettings());
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(ApiServer.FreeTcpPort(), ApiServer.FreeTcpPort(), clusterId: "embedding-" + Guid.NewGuid().ToString("N"));
            silo.AddWebhooks(storage =>
            {
                storage.Provider = StorageProvider.Sqlite;
                storage.ConnectionString = $"Data Source={Path.Combine(_dataFolder, "webhooks.db")}";
            });
        });
        builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(_dataFolder, "keys")));
        builder.Services.AddSingleton(Users);
        builder.Services.AddAuthentication(HostUserAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, HostUserAuthenticationHandler>(HostUserAuthenticationHandler.SchemeName, null);
        builder.Services.AddWebhooksApi(builder.Environment, ConfigureApi);
        ConfigureServices(builder.Services);
        builder.Services.AddOpenApi();

        _app = builder.Build();
        _app.UseExceptionHandler();
        _app.UseAuthentication();
        _app.UseAuthorization();
        _app.UseRateLimiter();
        _app.MapOpenApi("/openapi/v1.json");
        MapHostEndpoints(_app);
        _app.MapWebhooksApi(Prefix);
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    /// <summary>
    /// A client of the host: as the host's <paramref name="user"/>, or with <paramref name="bearer"/>, or anonymous. Its
    /// base address is the prefix, so relative paths (<c>api/v1/…</c>) go through it and absolute ones (<c>/…</c>) do not.
    /// </summary>
    public HttpClient CreateClient(string? user = null, string? bearer = null)
    {
        var client = new HttpClient(new ResponseRecorder(Responses, new SocketsHttpHandler { AllowAutoRedirect = false }))
        {
            BaseAddress = new Uri(BaseAddress, Prefix + "/"),
        };
        if (user is not null)
        {
            client.DefaultRequestHeaders.Add(HostUserAuthenticationHandler.Header, user);
        }

        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }

    /// <summary>Creates a tenant through the prefixed platform endpoint, as the platform; returns its id and API key.</summary>
    public async Task<(string Id, string ApiKey)> CreateTenantAsync(string name)
    {
        using var response = await PlatformClient().PostAsJsonAsync($"{Prefix}/api/v1/tenants", new { name });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await Json.ReadObjectAsync(response);
        Assert.Equal($"{Prefix}/api/v1/tenants/{body.String("id")}", response.Headers.Location?.OriginalString);
        return (body.String("id"), body.String("apiKey"));
    }

    /// <summary>A new tenant and a host user who acts for it, with that user's client.</summary>
    public async Task<(string TenantId, HttpClient Client)> TenantUserAsync(string user, string tenantName)
    {
        var (tenantId, _) = await CreateTenantAsync(tenantName);
        Users.Add(user, tenantId);
        return (tenantId, CreateClient(user));
    }

    public async Task DisposeAsync()
    {
        lock (_clients)
        {
            _clients.ForEach(c => c.Dispose());
        }

        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
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

    /// <summary>The host's configuration: the platform key, unless a derived host says otherwise.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> AdditionalSettings() => [new("Webhooks:Auth:PlatformKey", PlatformKey)];

    /// <summary>How the host mounts the API: a tenant resolver, the platform endpoints left to the platform key.</summary>
    protected virtual void ConfigureApi(WebhooksApiOptions api) => api.UseTenantResolver<ClaimTenantResolver>();

    /// <summary>Services a derived host adds (its own authorization policies, say).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>A client that the platform endpoints admit.</summary>
    /// <summary>The host's own endpoints, beside the API's; none by default.</summary>
    protected virtual void MapHostEndpoints(WebApplication app)
    {
    }

    protected virtual HttpClient PlatformClient() => CreateClient(bearer: PlatformKey);
}
