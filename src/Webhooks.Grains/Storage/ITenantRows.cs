namespace Webhooks.Grains.Storage;

/// <summary>Removes a deleted tenant's rows from one of <see cref="TenantTables"/>, one bounded batch per call.</summary>
public interface ITenantRows
{
    /// <summary>Removes up to <paramref name="limit"/> rows of <paramref name="owner"/> from <paramref name="table"/>; returns how many went (0 when none are left).</summary>
    Task<int> RemoveBatchAsync(TenantTable table, string owner, int limit);
}
