using YamlDotNet.RepresentationModel;

namespace Webhooks.Server.Tests;

/// <summary>
/// Docker and Kubernetes do not run here, so the deploy files are checked for what can be checked: they parse,
/// probe the real health endpoints, and set only configuration keys the server reads (the configuration table of
/// docs/operating.md) or variables of the platform itself.
/// </summary>
public sealed class DeployManifestTests
{
    // Read by ASP.NET Core itself, or by Orleans' Kubernetes hosting.
    private static readonly HashSet<string> PlatformVariables =
    [
        "ASPNETCORE_ENVIRONMENT", "ASPNETCORE_URLS", "POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID",
        "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB",
    ];

    private static readonly string Root = RepositoryFolder.Root;

    [Fact]
    public void KubernetesManifest_HasEveryPieceOrleansNeeds_AndProbesTheHealthEndpoints()
    {
        var documents = Load("deploy/kubernetes/webhooks.yaml");

        var kinds = documents.Select(d => Scalar(d, "kind")).ToList();
        Assert.Equal(["ServiceAccount", "Role", "RoleBinding", "Deployment", "Service", "PodDisruptionBudget"], kinds);
        var container = Path(documents.Single(d => Scalar(d, "kind") == "Deployment"), "spec", "template", "spec", "containers")[0];
        Assert.Equal("/health/ready", Scalar(Path(container, "readinessProbe", "httpGet"), "path"));
        Assert.Equal("/health/live", Scalar(Path(container, "livenessProbe", "httpGet"), "path"));
        AssertOnlyKnownKeys(((YamlSequenceNode)Path(container, "env")).Select(e => Scalar(e, "name")));
    }

    [Fact]
    public void KubernetesManifest_KeepsTheKeyRingInTheDatabase_WithTheCertificateFromASecret()
    {
        var deployment = Load("deploy/kubernetes/webhooks.yaml").Single(d => Scalar(d, "kind") == "Deployment");
        var pod = Path(deployment, "spec", "template", "spec");
        var container = Path(pod, "containers")[0];
        var env = ((YamlSequenceNode)Path(container, "env")).Cast<YamlMappingNode>().ToDictionary(e => Scalar(e, "name"));

        Assert.DoesNotContain("Webhooks__DataProtection__KeysFolder", env.Keys);
        Assert.Equal("PostgreSql", Scalar(env["Webhooks__Storage__Provider"], "value"));
        Assert.Equal("password", Scalar(Path(env["Webhooks__DataProtection__Certificate__Password"], "valueFrom", "secretKeyRef"), "key"));

        // Every volume is a Secret (no claim to share between pods), and the certificate's path is in one of them.
        var volumes = ((YamlSequenceNode)Path(pod, "volumes")).Cast<YamlMappingNode>().ToList();
        Assert.All(volumes, v => Assert.True(v.Children.ContainsKey(new YamlScalarNode("secret")), $"volume {Scalar(v, "name")} is not a Secret"));
        var certificate = Scalar(env["Webhooks__DataProtection__Certificate__Path"], "value");
        var mount = ((YamlSequenceNode)Path(container, "volumeMounts")).Cast<YamlMappingNode>()
            .Single(m => certificate.StartsWith(Scalar(m, "mountPath") + "/", StringComparison.Ordinal));
        var secret = Path(volumes.Single(v => Scalar(v, "name") == Scalar(mount, "name")), "secret");
        Assert.Contains(((YamlSequenceNode)Path(secret, "items")).Cast<YamlMappingNode>(),
            i => Scalar(mount, "mountPath") + "/" + Scalar(i, "path") == certificate);
        Assert.Equal(Scalar(Path(env["Webhooks__DataProtection__Certificate__Password"], "valueFrom", "secretKeyRef"), "name"), Scalar(secret, "secretName"));
    }

    [Fact]
    public void ComposeFile_KeepsTheKeyRingInTheDatabase_WithTheCertificateAsASecretFile()
    {
        var compose = (YamlMappingNode)Load("deploy/docker/compose.yaml").Single();
        var silo = (YamlMappingNode)Path(compose, "services", "silo1");
        var environment = (YamlMappingNode)Path(silo, "environment");

        Assert.False(environment.Children.ContainsKey(new YamlScalarNode("Webhooks__DataProtection__KeysFolder")));
        Assert.False(silo.Children.ContainsKey(new YamlScalarNode("volumes")), "a silo mounts a volume");
        Assert.Equal(["pgdata"], ((YamlMappingNode)Path(compose, "volumes")).Children.Keys.Select(k => ((YamlScalarNode)k).Value));
        var secret = Assert.Single((YamlSequenceNode)Path(silo, "secrets"));
        var name = ((YamlScalarNode)secret).Value!;
        Assert.Equal($"/run/secrets/{name}", Scalar(environment, "Webhooks__DataProtection__Certificate__Path"));
        Assert.NotEmpty(Scalar(Path(compose, "secrets", name), "file"));
        Assert.StartsWith("${", Scalar(environment, "Webhooks__DataProtection__Certificate__Password"), StringComparison.Ordinal);
    }

    [Fact]
    public void ComposeFile_RunsTwoSilosOnPostgreSql_WithKnownKeysOnly()
    {
        var compose = Load("deploy/docker/compose.yaml").Single();
        var services = (YamlMappingNode)Path(compose, "services");

        Assert.Equal(["postgres", "silo1", "silo2"], services.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
        var environment = (YamlMappingNode)Path(services, "silo1", "environment");
        Assert.Equal("PostgreSql", Scalar(environment, "Webhooks__Storage__Provider"));
        AssertOnlyKnownKeys(environment.Children.Keys.Select(k => ((YamlScalarNode)k).Value!));
        AssertOnlyKnownKeys(((YamlMappingNode)Path(services, "postgres", "environment")).Children.Keys.Select(k => ((YamlScalarNode)k).Value!));
        Assert.True(File.Exists(System.IO.Path.Combine(Root, "deploy/docker/Dockerfile")));
    }

    private static void AssertOnlyKnownKeys(IEnumerable<string> variables)
    {
        var table = File.ReadAllText(System.IO.Path.Combine(Root, "docs", "operating.md"));
        var configured = variables.ToList();
        Assert.NotEmpty(configured);
        foreach (var variable in configured.Where(v => !PlatformVariables.Contains(v)))
        {
            Assert.True(table.Contains($"| `{variable.Replace("__", ":", StringComparison.Ordinal)}`", StringComparison.Ordinal),
                $"{variable} is not a configuration key the table of docs/operating.md documents.");
        }
    }

    private static List<YamlNode> Load(string relativePath)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(System.IO.Path.Combine(Root, relativePath));
        stream.Load(reader);
        return [.. stream.Documents.Select(d => d.RootNode)];
    }

    private static YamlNode Path(YamlNode node, params string[] keys) =>
        keys.Aggregate(node, (current, key) => ((YamlMappingNode)current).Children[new YamlScalarNode(key)]);

    private static string Scalar(YamlNode node, string key) => ((YamlScalarNode)Path(node, key)).Value!;
}
