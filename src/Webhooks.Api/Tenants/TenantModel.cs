using Webhooks.Abstractions.Tenants;

namespace Webhooks.Api.Tenants;

/// <summary>A tenant.</summary>
/// <param name="Id">The tenant's id (<c>tn_…</c>).</param>
/// <param name="Name">Its display name.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="Status"><c>active</c>, or <c>deleting</c> from a <c>DELETE</c> until the tenant's data is gone (then it is a 404).</param>
public sealed record TenantModel(string Id, string Name, DateTimeOffset CreatedAt, string Status)
{
    internal static TenantModel From(TenantView tenant) =>
        new(tenant.Id, tenant.Name, tenant.CreatedAt, tenant.Status == TenantStatus.Deleting ? "deleting" : "active");
}
