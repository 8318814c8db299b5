using LicensingPlatform.Customers;
using LicensingPlatform.Entitlements;
using LicensingPlatform.Hosting;
using LicensingPlatform.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Webhooks.Abstractions.Catalog;
using Webhooks.Api;
using Webhooks.Grains.Hosting;
using Webhooks.Grains.Storage;

// A licensing platform with a silo of its own, into which it adds the webhook dispatcher.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddOptions<LicensingOptions>().BindConfiguration(LicensingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
var licensing = builder.Configuration.GetSection(LicensingOptions.Section).Get<LicensingOptions>() ?? new LicensingOptions();
var webhooksStorage = builder.Configuration.GetValue(StorageOptions.Section + ":Provider", StorageProvider.Sqlite);
var webhooksDatabase = builder.Configuration.GetConnectionString("Webhooks") ?? StorageOptions.DefaultSqliteConnectionString;

builder.UseOrleans(silo =>
{
    // The platform's own choices: one silo, its own grain storage, its own reminder service with its own minimum period.
    silo.UseLocalhostClustering(licensing.SiloPort, licensing.GatewayPort, serviceId: "licensing", clusterId: "licensing");
    silo.AddFileGrainStorage(PlatformStorage.Name, licensing.StateFolder);
    silo.UseInMemoryReminderService();
    silo.Services.AddOptions<ReminderOptions>().Configure(o =>
        o.MinimumReminderPeriod = TimeSpan.FromTicks(Math.Min(o.MinimumReminderPeriod.Ticks, licensing.RenewalCheckPeriod.Ticks)));

    // The dispatcher: its grains and storage, in a database of its own.
    silo.AddWebhooks(storage =>
    {
        storage.Provider = webhooksStorage;
        storage.ConnectionString = webhooksDatabase;
    });
});

// One key ring for the platform's sign-in cookies and the dispatcher's secrets at rest, kept where a restart finds it:
// a folder on SQLite (one silo), the dispatcher's database on PostgreSQL (every silo reads it).
var dataProtection = builder.Services.AddDataProtection().SetApplicationName("LicensingPlatform");
if (webhooksStorage == StorageProvider.Sqlite)
{
    dataProtection.PersistKeysToFileSystem(new DirectoryInfo(licensing.KeysFolder));
}

if (licensing.KeyRingCertificatePath is { } certificate)
{
    dataProtection.ProtectKeysWithCertificate(
        System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(certificate, licensing.KeyRingCertificatePassword));
}

builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddValidation(); // the request records' and route values' data annotations, checked before any handler runs
builder.Services.AddPlatformSession();
builder.Services.AddWebhooksApi(builder.Environment, api =>
{
    api.UseTenantResolver<SessionTenantResolver>();
    api.PlatformPolicy = PlatformSession.OperatorsPolicy; // tenants are created in-process, by CustomerGrain; no platform key
});
builder.Services.AddHealthChecks();

var app = builder.Build();

// Every change would be refused if the deployment's catalog (Webhooks:EventTypes) lacked the entitlement's codes: say so now.
var catalog = app.Services.GetRequiredService<EventCatalog>();
if (new[] { EntitlementGrain.Created, EntitlementGrain.Updated }.FirstOrDefault(code => !catalog.IsSubscribable(code)) is { } missing)
{
    throw new InvalidOperationException($"Webhooks:EventTypes must include '{missing}', the code of an entitlement's webhooks.");
}

app.UseExceptionHandler();
app.UseStatusCodePages(); // the platform's own empty 401, 403 and 404 get problem bodies too
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.MapHealthChecks("/health");
app.MapCustomers();
app.MapEntitlements();
app.MapWebhooksApi("/platform/webhooks");
app.Run();
