using Orleans.TestingHost;

namespace Webhooks.Grains.Tests.Infrastructure;

/// <summary>Starting an in-process test cluster without leaking it when a silo fails to start.</summary>
internal static class TestClusterDeployment
{
    /// <summary>Builds and deploys the cluster; when deploying fails, what did start is disposed before the error propagates.</summary>
    public static async Task<InProcessTestCluster> BuildAndDeployAsync(this InProcessTestClusterBuilder builder)
    {
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }
}
