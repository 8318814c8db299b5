using System.Net;
using System.Net.Sockets;
using Webhooks.Grains.Storage;

namespace Webhooks.Server;

/// <summary>
/// How silos find each other. On the embedded store the process is a cluster of one (localhost clustering); on
/// PostgreSQL every process started against the same database with the same cluster id joins one cluster,
/// through the membership table, listening on all interfaces and advertising one address to the others.
/// </summary>
internal static class ClusterSetup
{
    public static void UseWebhooksClustering(this ISiloBuilder silo, SiloClusterOptions cluster, StorageOptions storage)
    {
        if (storage.Provider == StorageProvider.Sqlite)
        {
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
            return;
        }

        silo.Configure<Orleans.Configuration.ClusterOptions>(o =>
        {
            o.ClusterId = cluster.ClusterId;
            o.ServiceId = cluster.ServiceId;
        });
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = StorageConnections.Invariant(storage.Provider);
            o.ConnectionString = storage.ConnectionString;
        });
        silo.ConfigureEndpoints(AdvertisedAddress(cluster), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
        if (Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is not null)
        {
            // In a pod: Orleans watches its own deployment's pods and takes the pod's identity (POD_NAME, POD_IP, …).
            silo.UseKubernetesHosting();
        }
    }

    private static IPAddress AdvertisedAddress(SiloClusterOptions cluster)
    {
        if (!string.IsNullOrWhiteSpace(cluster.AdvertisedAddress))
        {
            return IPAddress.Parse(cluster.AdvertisedAddress);
        }

        // The first non-loopback IPv4 address; on a machine with none, loopback (several silos on one host).
        return Dns.GetHostAddresses(Dns.GetHostName())
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?? IPAddress.Loopback;
    }
}
