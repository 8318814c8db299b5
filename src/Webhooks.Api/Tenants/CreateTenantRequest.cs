using System.ComponentModel.DataAnnotations;

namespace Webhooks.Api.Tenants;

/// <summary>The body of <c>POST api/v1/tenants</c>.</summary>
/// <param name="Name">A display name, 1 to 200 characters.</param>
public sealed record CreateTenantRequest([property: Required, MinLength(1), MaxLength(CreateTenantRequestValidator.MaxNameLength)] string? Name);
