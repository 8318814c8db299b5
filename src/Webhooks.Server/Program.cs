using Orleans.Dashboard;
using Scalar.AspNetCore;
using Webhooks.Api;
using Webhooks.Api.Auth;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Hosting;
using Webhooks.Server;
using Webhooks.Server.Configuration;
using Webhooks.Server.Document;
using Webhooks.Server.KeyRing;
using Webhooks.Server.Operations;

var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
{
    // The documented default; ASPNETCORE_URLS, --urls or Urls in configuration choose another.
    builder.WebHost.UseUrls("http://localhost:5080");
}

// The operators' Orleans dashboard: the platform key opens it, as a Bearer token or a Basic password.
const string DashboardPath = "/dashboard";

try
{
    var startup = StartupConfiguration.Read(builder.Configuration, builder.Environment);
    builder.UseOrleans(silo =>
    {
        silo.UseWebhooksClustering(startup.Cluster, startup.Storage);
        silo.AddActivityPropagation();
        silo.AddDashboard();
        silo.AddWebhooks(storage =>
        {
            storage.Provider = startup.Storage.Provider;
            storage.ConnectionString = startup.Storage.ConnectionString;
        });
    });

    if (builder.Environment.IsDevelopment() && builder.Configuration[DeliveryOptions.Section + ":" + nameof(DeliveryOptions.AllowPrivateNetworks)] is null)
    {
        // Local listeners (http://localhost:…) are the point of a development server; production refuses them.
        builder.Services.PostConfigure<DeliveryOptions>(o => o.AllowPrivateNetworks = true);
    }

    builder.Services.AddWebhooksKeyRing(startup.KeyRing);
    // The dashboard is a browser's page: its 401 offers Basic too, so the browser asks for the platform key.
    builder.Services.AddWebhooksApi(builder.Environment, api => api.BasicChallengePaths.Add(DashboardPath));
    builder.Services.AddWebhooksHealth();
    builder.AddWebhooksTelemetry();
    builder.Services.AddOpenApi(options => options
        .AddDocumentTransformer<BearerSecurityTransformer>()
        .AddDocumentTransformer<ApiDocumentTransformer>()
        .AddSchemaTransformer<WireSchemaTransformer>()
        .AddDocumentTransformer<AnyJsonValueTransformer>()
        .AddDocumentTransformer<ProblemSchemaTransformer>()
        .AddDocumentTransformer<UnusedSchemaTransformer>());

    var app = builder.Build();
    StartupConfiguration.ValidateOptions(app.Services);

    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseWebhooksPage();
    app.UseAuthentication();
    app.UseAuthorization();
    app.UseRateLimiter(); // after authorization: requests are counted per authenticated key

    app.MapWebhooksHealth();
    app.MapOrleansDashboard(routePrefix: DashboardPath).RequireAuthorization(ApiClaims.PlatformPolicy).ExcludeFromDescription();
    // One document, at a fixed path: the default "/openapi/{documentName}.json" answers any other name with a plain-text 404.
    app.MapOpenApi("/openapi/v1.json");
    app.MapScalarApiReference();
    app.MapWebhooksApi();

    app.Run();
    return 0;
}
catch (ConfigurationProblemsException problems)
{
    return StartupFailure.Report(problems, Console.Error);
}

/// <summary>The entry point, visible to the tests' web application factory.</summary>
public partial class Program;
