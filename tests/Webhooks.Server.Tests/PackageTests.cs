using System.Diagnostics;
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace Webhooks.Server.Tests;

/// <summary>
/// A platform takes the dispatcher as three packages of one version, a listener author the receiver package, and an API
/// client the typed client package: packing the solution yields exactly those, each with its metadata, assembly and
/// documentation, the sibling references turned into package dependencies at the same version, and the schema scripts
/// inside the grains' assembly. The server, the tests and the benchmark yield none.
/// </summary>
public sealed class PackageTests : IDisposable
{
    private const string Abstractions = "Webhooks.Orleans.Abstractions";
    private const string Grains = "Webhooks.Orleans.Grains";
    private const string Api = "Webhooks.Orleans.Api";
    private const string Receiving = "Webhooks.Orleans.Receiving";
    private const string Client = "Webhooks.Orleans.Client";

    private readonly string _output = Directory.CreateTempSubdirectory("webhooks-pack-").FullName;

    [Fact]
    public async Task PackingTheSolution_YieldsTheLibraryPackages_VersionedTogether()
    {
        var version = SharedVersion();

        await PackAsync();

        var packages = Directory.GetFiles(_output, "*.nupkg").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal([$"{Abstractions}.{version}.nupkg", $"{Api}.{version}.nupkg", $"{Client}.{version}.nupkg", $"{Grains}.{version}.nupkg", $"{Receiving}.{version}.nupkg"], packages);
        AssertPackage(Abstractions, "Webhooks.Abstractions", version, dependsOn: []);
        AssertPackage(Grains, "Webhooks.Grains", version, dependsOn: [Abstractions]);
        AssertPackage(Api, "Webhooks.Api", version, dependsOn: [Abstractions]);
        AssertPackage(Receiving, "Webhooks.Receiving", version, dependsOn: []);
        AssertPackage(Client, "Webhooks.Client", version, dependsOn: []);
    }

    [Fact]
    public async Task ClientPackage_DependsOnlyOnTheGeneratorsRuntime_AndShipsTheApiClientsReadme()
    {
        await PackAsync();

        using var package = ZipFile.OpenRead(Path.Combine(_output, $"{Client}.{SharedVersion()}.nupkg"));
        var nuspec = XDocument.Load(Entry(package, $"{Client}.nuspec").Open()).Root!;
        // An API client's app takes the generated code's runtime, never Orleans, ASP.NET Core or the server's projects.
        var dependencies = nuspec.Descendants(nuspec.Name.Namespace + "dependency").Select(d => (string)d.Attribute("id")!).ToArray();
        Assert.NotEmpty(dependencies);
        Assert.All(dependencies, id => Assert.StartsWith("Microsoft.Kiota.", id, StringComparison.Ordinal));
        Assert.Empty(nuspec.Descendants(nuspec.Name.Namespace + "frameworkReference"));
        using var readme = new StreamReader(Entry(package, "README.md").Open());
        var text = await readme.ReadToEndAsync();
        Assert.StartsWith($"# {Client}", text, StringComparison.Ordinal);
        Assert.Contains("WebhooksApiException", text, StringComparison.Ordinal);
        // What the code was generated from, and the script that regenerates it, stay in the repository.
        Assert.DoesNotContain(package.Entries, e => e.Name is "openapi.json" or "regenerate.sh");
    }

    [Fact]
    public async Task ReceivingPackage_DependsOnNoPackage_AndShipsTheListenerAuthorsReadme()
    {
        await PackAsync();

        using var package = ZipFile.OpenRead(Path.Combine(_output, $"{Receiving}.{SharedVersion()}.nupkg"));
        var nuspec = XDocument.Load(Entry(package, $"{Receiving}.nuspec").Open()).Root!;
        // ASP.NET Core comes with the shared framework; Orleans and the server's projects stay out of a listener's app.
        Assert.Empty(nuspec.Descendants(nuspec.Name.Namespace + "dependency"));
        using var readme = new StreamReader(Entry(package, "README.md").Open());
        var text = await readme.ReadToEndAsync();
        Assert.StartsWith($"# {Receiving}", text, StringComparison.Ordinal);
        Assert.Contains("MapWebhookReceiver", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GrainsPackage_CarriesEverySchemaScriptOfDeploySql()
    {
        await PackAsync();

        using var package = ZipFile.OpenRead(Path.Combine(_output, $"{Grains}.{SharedVersion()}.nupkg"));
        using var assembly = new MemoryStream();
        using (var entry = Entry(package, "lib/net10.0/Webhooks.Grains.dll").Open())
        {
            await entry.CopyToAsync(assembly);
        }

        assembly.Position = 0;
        using var reader = new PEReader(assembly);
        var metadata = reader.GetMetadataReader();
        var resources = metadata.ManifestResources.Select(h => metadata.GetString(metadata.GetManifestResource(h).Name)).ToHashSet(StringComparer.Ordinal);
        var scripts = Directory.GetFiles(Path.Combine(RepositoryFolder.Root, "deploy", "sql"), "*.sql", SearchOption.AllDirectories)
            .Select(f => $"{Path.GetFileName(Path.GetDirectoryName(f))}/{Path.GetFileName(f)}")
            .ToList();
        Assert.Contains(scripts, s => s.StartsWith("sqlite/", StringComparison.Ordinal));
        Assert.Contains(scripts, s => s.StartsWith("postgresql/", StringComparison.Ordinal));
        Assert.All(scripts, script => Assert.Contains(script, resources));
    }

    public void Dispose() => Directory.Delete(_output, recursive: true);

    private void AssertPackage(string id, string assemblyName, string version, string[] dependsOn)
    {
        using var package = ZipFile.OpenRead(Path.Combine(_output, $"{id}.{version}.nupkg"));
        var nuspec = XDocument.Load(Entry(package, $"{id}.nuspec").Open()).Root!;
        var ns = nuspec.Name.Namespace;
        var meta = nuspec.Element(ns + "metadata")!;
        string Field(string name) => meta.Element(ns + name)?.Value ?? "";

        Assert.Equal(id, Field("id"));
        Assert.Equal(version, Field("version"));
        Assert.Equal("Webhooks.Orleans", Field("authors"));
        Assert.False(string.IsNullOrWhiteSpace(Field("description")), $"{id} has no description.");
        Assert.Contains("webhooks", Field("tags"), StringComparison.Ordinal);
        Assert.Equal("README.md", Field("readme"));
        Entry(package, "README.md");
        Entry(package, $"lib/net10.0/{assemblyName}.dll");
        Entry(package, $"lib/net10.0/{assemblyName}.xml"); // its documentation, for the consumer's editor

        // A sibling is a package dependency at exactly the shared version, never a copy of its assembly.
        var siblings = meta.Descendants(ns + "dependency")
            .Where(d => ((string)d.Attribute("id")!).StartsWith("Webhooks.", StringComparison.Ordinal))
            .ToDictionary(d => (string)d.Attribute("id")!, d => (string)d.Attribute("version")!);
        Assert.Equal(dependsOn.Order(StringComparer.Ordinal), siblings.Keys.Order(StringComparer.Ordinal));
        Assert.All(siblings.Values, v => Assert.Equal(version, v));
        Assert.DoesNotContain(package.Entries, e => e.FullName.StartsWith("lib/", StringComparison.Ordinal)
            && e.Name.StartsWith("Webhooks.", StringComparison.Ordinal) && e.Name != $"{assemblyName}.dll" && e.Name != $"{assemblyName}.xml");
    }

    private static ZipArchiveEntry Entry(ZipArchive package, string path) =>
        package.GetEntry(path) ?? throw new Xunit.Sdk.XunitException($"The package has no {path}; it has: {string.Join(", ", package.Entries.Select(e => e.FullName))}");

    private static string SharedVersion() =>
        XDocument.Load(Path.Combine(RepositoryFolder.Root, "Directory.Build.props")).Descendants("Version").Single().Value;

    /// <summary>Packs what the test run has already built (its own configuration), so no build races the other tests.</summary>
    private async Task PackAsync()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var start = new ProcessStartInfo("dotnet", ["pack", Path.Combine(RepositoryFolder.Root, "Webhooks.Orleans.sln"),
            "--no-build", "--nologo", "-c", configuration, "-o", _output])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet pack.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet pack did not finish in 90 s:\n{await stdout}\n{await stderr}");
        }

        Assert.True(process.ExitCode == 0, $"dotnet pack failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
    }
}
