namespace Webhooks.Grains.Tests.Infrastructure;

/// <summary>One cluster shared by a test class whose tests each use their own tenant.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly TestDeployment _deployment = new();
    private WebhooksCluster? _cluster;

    internal WebhooksCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public async Task InitializeAsync() => _cluster = await _deployment.StartClusterAsync();

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        _deployment.Dispose();
    }
}
