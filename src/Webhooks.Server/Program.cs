using Microsoft.AspNetCore.DataProtection;
using Orleans.Dashboard;
using Scalar.AspNetCore;
using Webhooks.Api;
using Webhooks.Api.Auth;
using Webhooks.Delivery;
using Webhooks.Hosting;
using Webhooks.Server;
using Webhooks.Server.Operations;
using Webhooks.Storage;

var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
{
    // The documented default; ASPNETCORE_URLS, --urls or Urls in configuration choose another.
    builder.WebHost.UseUrls("http://localhost:5080");
}

var cluster = builder.Configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>() ?? new ClusterOptions();
var storageSettings = new StorageOptions();
builder.Configuration.GetSection(StorageOptions.Section).Bind(storageSettings);
storageSettings.ConnectionString = builder.Configuration.GetConnectionString("Webhooks") ?? storageSettings.ConnectionString;
builder.UseOrleans(silo =>
{
    silo.UseWebhooksClustering(cluster, storageSettings);
    silo.AddActivityPropagation();
    silo.AddDashboard();
    silo.AddWebhooks(storage =>
    {
        storage.Provider = storageSettings.Provider;
        storage.ConnectionString = storageSettings.ConnectionString;
    });
});

if (builder.Environment.IsDevelopment() && builder.Configuration["Webhooks:Delivery:AllowPrivateNetworks"] is null)
{
    // Local listeners (http://localhost:…) are the point of a development server; production refuses them.
    builder.Services.PostConfigure<DeliveryOptions>(o => o.AllowPrivateNetworks = true);
}

builder.Services.AddDataProtection()
    .SetApplicationName("Webhooks.Orleans")
    .PersistKeysToFileSystem(new DirectoryInfo(DataProtectionKeys.Folder(builder.Configuration)));
builder.Services.AddWebhooksApi(builder.Environment);
builder.Services.AddWebhooksHealth();
builder.AddWebhooksTelemetry();
builder.Services.AddOpenApi(options => options.AddDocumentTransformer<BearerSecurityTransformer>());

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseWebhooksPage();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter(); // after authorization: requests are counted per authenticated key

app.MapWebhooksHealth();
app.MapOrleansDashboard(routePrefix: "/dashboard").RequireAuthorization(ApiClaims.PlatformPolicy).ExcludeFromDescription();
// One document, at a fixed path: the default "/openapi/{documentName}.json" answers any other name with a plain-text 404.
app.MapOpenApi("/openapi/v1.json");
app.MapScalarApiReference();
app.MapWebhooksApi();

app.Run();

/// <summary>The entry point, visible to the tests' web application factory.</summary>
public partial class Program;
