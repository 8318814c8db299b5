using System.ComponentModel.DataAnnotations;
using Webhooks.Abstractions.Tenants;
using Webhooks.Api.Validation;

namespace Webhooks.Api.Tenants;

/// <summary>The body of <c>POST api/v1/tenants</c>.</summary>
/// <param name="Name">A display name, 1 to 200 characters.</param>
public sealed record CreateTenantRequest([property: Required, MinLength(1), MaxLength(CreateTenantRequestValidator.MaxNameLength)] string? Name);

/// <summary>A tenant needs a name.</summary>
public sealed class CreateTenantRequestValidator : IRequestValidator<CreateTenantRequest>
{
    public const int MaxNameLength = 200;

    public IReadOnlyDictionary<string, string> Validate(CreateTenantRequest request) =>
        string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > MaxNameLength
            ? new Dictionary<string, string> { ["name"] = $"The name is required, at most {MaxNameLength} characters." }
            : new Dictionary<string, string>();
}

/// <summary>A new tenant; <see cref="ApiKey"/> is shown this once.</summary>
public sealed record TenantCreatedModel(string Id, string Name, DateTimeOffset CreatedAt, string ApiKey);

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
