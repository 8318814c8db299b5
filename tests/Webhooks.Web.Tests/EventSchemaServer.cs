using Webhooks.Server.Tests;

namespace Webhooks.Web.Tests;

/// <summary>
/// A second server for the page tests, whose catalog gives <see cref="SchemaCode"/> a schema and an example and
/// <see cref="PlainCode"/> neither (a configured catalog replaces Zentitle's, which the shared server keeps).
/// </summary>
public sealed class EventSchemaServer : IAsyncLifetime
{
    public const string SchemaCode = "license.created";
    public const string PlainCode = "license.deleted";

    private string? _dataFolder;
    private ServerProcess? _server;

    internal ServerProcess Server => _server ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async Task InitializeAsync()
    {
        _dataFolder = Directory.CreateTempSubdirectory("webhooks-web-schemas-").FullName;
        _server = await ServerProcess.StartAsync(_dataFolder, new Dictionary<string, string>
        {
            ["Webhooks__EventTypes__0__Code"] = SchemaCode,
            ["Webhooks__EventTypes__0__Type"] = "license",
            ["Webhooks__EventTypes__0__Description"] = "A license was created.",
            ["Webhooks__EventTypes__0__Schema"] = """{"type":"object","required":["licenseId","seats"],"properties":{"licenseId":{"type":"string"},"seats":{"type":"integer","minimum":1}}}""",
            ["Webhooks__EventTypes__0__Example"] = """{"licenseId":"lic_1","seats":3}""",
            ["Webhooks__EventTypes__1__Code"] = PlainCode,
            ["Webhooks__EventTypes__1__Type"] = "license",
            ["Webhooks__EventTypes__1__Description"] = "A license was deleted.",
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_dataFolder is not null)
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
    }
}
