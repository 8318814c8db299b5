using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Webhooks.Grains.Storage;

namespace Webhooks.Server.Operations;

/// <summary>Ready only while the database answers a trivial query.</summary>
internal sealed class StorageHealthCheck(IOptions<StorageOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = StorageConnections.Create(options.Value);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("The database answers.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The exception's message may name the server; the type is enough for a probe.
            return HealthCheckResult.Unhealthy($"The database does not answer ({ex.GetType().Name}).");
        }
    }
}
