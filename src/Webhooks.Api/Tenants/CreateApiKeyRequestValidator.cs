using Webhooks.Api.Validation;

namespace Webhooks.Api.Tenants;

/// <summary>A key's name, when given, is short and not blank.</summary>
public sealed class CreateApiKeyRequestValidator : IRequestValidator<CreateApiKeyRequest>
{
    public IReadOnlyDictionary<string, string> Validate(CreateApiKeyRequest request) =>
        request.Name is { } name && (string.IsNullOrWhiteSpace(name) || name.Length > CreateTenantRequestValidator.MaxNameLength)
            ? new Dictionary<string, string> { ["name"] = $"The name, when given, is 1 to {CreateTenantRequestValidator.MaxNameLength} characters, not blank." }
            : new Dictionary<string, string>();
}
