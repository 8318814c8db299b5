using Webhooks.Api.Validation;

namespace Webhooks.Api.Tenants;

/// <summary>A tenant needs a name.</summary>
public sealed class CreateTenantRequestValidator : IRequestValidator<CreateTenantRequest>
{
    public const int MaxNameLength = 200;

    public IReadOnlyDictionary<string, string> Validate(CreateTenantRequest request) =>
        string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > MaxNameLength
            ? new Dictionary<string, string> { ["name"] = $"The name is required, at most {MaxNameLength} characters." }
            : new Dictionary<string, string>();
}
