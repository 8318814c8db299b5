namespace Webhooks.Server;

/// <summary>How this process joins its cluster; configured as <c>Webhooks:Cluster</c>.</summary>
public sealed class SiloClusterOptions
{
    public const string Section = "Webhooks:Cluster";

    /// <summary>The port silos talk to each other on.</summary>
    /// <value>The default is 11111.</value>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port Orleans clients connect to.</summary>
    /// <value>The default is 30000.</value>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The IP address other silos reach this one on (PostgreSQL mode).</summary>
    /// <value>The default is the first non-loopback IPv4 address of the host.</value>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Identifies the cluster; silos with the same id form one cluster.</summary>
    /// <value>The default is <c>webhooks</c>.</value>
    public string ClusterId { get; set; } = "webhooks";

    /// <summary>Identifies the service across deployments; grain state is keyed by it.</summary>
    /// <value>The default is <c>webhooks</c>.</value>
    public string ServiceId { get; set; } = "webhooks";
}
