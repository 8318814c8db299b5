using System.Diagnostics;
using Webhooks.Testing;

namespace Webhooks.Server.Tests;

/// <summary>
/// A configuration that cannot work stops the real server binary at once, with one line naming the setting to fix
/// and no stack trace (issue #13).
/// </summary>
public sealed class StartupConfigurationTests : IDisposable
{
    // The server refuses before it touches the database, so none of these needs one that exists.
    private const string NpgsqlConnectionString = "Host=127.0.0.1;Port=1;Database=webhooks;Username=webhooks";

    private readonly string _dataFolder = Directory.CreateTempSubdirectory("webhooks-config-").FullName;

    public static TheoryData<string, string> Cases => new()
    {
        { "PostgreSqlInProductionWithoutCertificate", "Webhooks:DataProtection:Certificate:Path" },
        { "CertificateFileMissing", "Webhooks:DataProtection:Certificate:Path" },
        { "CertificatePasswordWrong", "Webhooks:DataProtection:Certificate:Password" },
        { "NpgsqlConnectionStringInSqliteMode", "ConnectionStrings:Webhooks" },
        { "SqliteConnectionStringInPostgreSqlMode", "ConnectionStrings:Webhooks" },
        { "UnknownStorageProvider", "Webhooks:Storage:Provider" },
        { "NoPlatformKeyInProduction", "Webhooks:Auth:PlatformKey" },
        { "ValueOfTheWrongType", "Webhooks:Delivery:Timeout" },
        { "DevelopmentKeyInProduction", "Webhooks:Auth:PlatformKey" },
        { "ListenerCapOutOfRange", "Webhooks:Limits:MaxListenersPerTenant" },
        { "PayloadCapOutOfRange", "Webhooks:Limits:MaxPayloadBytes" },
        { "BodyCapOutOfRange", "Webhooks:Limits:MaxManagementBodyBytes" },
        { "RateLimitOutOfRange", "Webhooks:RateLimits:TenantKeyTokensPerPeriod" },
        { "EventSchemaNotJson", "Webhooks:EventTypes:0:Schema" },
        { "EventExampleBreakingItsSchema", "Webhooks:EventTypes:0:Example" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Start_WithAConfigurationThatCannotWork_ExitsAtOnce_WithOneLineNamingTheSetting(string name, string key)
    {
        var clock = Stopwatch.StartNew();
        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(_dataFolder, Settings(name), TimeSpan.FromSeconds(30));

        Assert.True(exitCode is not null, $"{name}: the server was still running after {clock.Elapsed.TotalSeconds:F0} s:\n{output}");
        Assert.NotEqual(0, exitCode);
        var lines = output.Split('\n');
        var naming = Assert.Single(lines, l => l.Contains(key, StringComparison.Ordinal));
        Assert.StartsWith("Configuration error: ", naming, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.StartsWith("   at ", StringComparison.Ordinal));
    }

    private Dictionary<string, string> Settings(string name) => name switch
    {
        "PostgreSqlInProductionWithoutCertificate" => new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Webhooks__Auth__PlatformKey"] = "platform-key-of-the-test",
            ["Webhooks__Storage__Provider"] = "PostgreSql",
            ["ConnectionStrings__Webhooks"] = NpgsqlConnectionString,
        },
        "CertificateFileMissing" => new()
        {
            ["Webhooks__DataProtection__Certificate__Path"] = Path.Combine(_dataFolder, "missing.pfx"),
            ["Webhooks__DataProtection__Certificate__Password"] = "whatever",
        },
        "CertificatePasswordWrong" => new()
        {
            ["Webhooks__DataProtection__Certificate__Path"] = TestCertificate.CreatePfx(_dataFolder, "the-right-password"),
            ["Webhooks__DataProtection__Certificate__Password"] = "a-wrong-password",
        },
        "NpgsqlConnectionStringInSqliteMode" => new()
        {
            ["ConnectionStrings__Webhooks"] = NpgsqlConnectionString,
        },
        "SqliteConnectionStringInPostgreSqlMode" => new()
        {
            ["Webhooks__Storage__Provider"] = "PostgreSql",
            ["ConnectionStrings__Webhooks"] = $"Data Source={Path.Combine(_dataFolder, "webhooks.db")}",
        },
        "UnknownStorageProvider" => new()
        {
            ["Webhooks__Storage__Provider"] = "MySql",
        },
        "NoPlatformKeyInProduction" => new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        },
        "ValueOfTheWrongType" => new()
        {
            ["Webhooks__Delivery__Timeout"] = "fifteen seconds",
        },
        "DevelopmentKeyInProduction" => new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Webhooks__Auth__PlatformKey"] = "dev-platform-key",
        },
        "ListenerCapOutOfRange" => new()
        {
            ["Webhooks__Limits__MaxListenersPerTenant"] = "0",
        },
        "PayloadCapOutOfRange" => new()
        {
            ["Webhooks__Limits__MaxPayloadBytes"] = "100",
        },
        "BodyCapOutOfRange" => new()
        {
            ["Webhooks__Limits__MaxManagementBodyBytes"] = "99999999999",
        },
        "RateLimitOutOfRange" => new()
        {
            ["Webhooks__RateLimits__TenantKeyTokensPerPeriod"] = "0",
        },
        "EventSchemaNotJson" => new()
        {
            ["Webhooks__EventTypes__0__Code"] = "license.created",
            ["Webhooks__EventTypes__0__Schema"] = """{"type":"object",""",
        },
        "EventExampleBreakingItsSchema" => new()
        {
            ["Webhooks__EventTypes__0__Code"] = "license.created",
            ["Webhooks__EventTypes__0__Schema"] = """{"type":"object","properties":{"seats":{"type":"integer","minimum":1}}}""",
            ["Webhooks__EventTypes__0__Example"] = """{"seats":0}""",
        },
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such case."),
    };

    public void Dispose() => Directory.Delete(_dataFolder, recursive: true);
}
