
namespace Webhooks.Abstractions.Tenants;

/// <summary>
/// The tenant is being deleted: its router refuses every publish and change from the moment the deletion was accepted.
/// The HTTP API answers it as the tenant not being found, as it does for a tenant that never existed.
/// </summary>
[GenerateSerializer, Alias("webhooks.TenantDeletedException")]
public sealed class TenantDeletedException(string tenantId) : Exception($"The tenant {tenantId} is being deleted.");
