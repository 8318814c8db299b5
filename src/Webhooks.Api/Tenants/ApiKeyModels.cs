using Webhooks.Api.Validation;

namespace Webhooks.Api.Tenants;

/// <summary>The optional body of <c>POST api/v1/tenants/{tenantId}/keys</c>.</summary>
/// <param name="Name">What the key is for, up to 200 characters; optional.</param>
public sealed record CreateApiKeyRequest(string? Name);

/// <summary>A key's name, when given, is short and not blank.</summary>
public sealed class CreateApiKeyRequestValidator : IRequestValidator<CreateApiKeyRequest>
{
    public IReadOnlyDictionary<string, string> Validate(CreateApiKeyRequest request) =>
        request.Name is { } name && (string.IsNullOrWhiteSpace(name) || name.Length > CreateTenantRequestValidator.MaxNameLength)
            ? new Dictionary<string, string> { ["name"] = $"The name, when given, is 1 to {CreateTenantRequestValidator.MaxNameLength} characters, not blank." }
            : new Dictionary<string, string>();
}

/// <summary>An API key as listed: never its secret or hash. <see cref="Prefix"/> is the key up to its secret (<c>wk.{tenantId}.{keyId}</c>).</summary>
public sealed record ApiKeyModel(string Id, string? Name, string Prefix, DateTimeOffset CreatedAt);

/// <summary>A new API key; <see cref="ApiKey"/> is the full key, shown this once.</summary>
public sealed record ApiKeyCreatedModel(string Id, string? Name, string Prefix, DateTimeOffset CreatedAt, string ApiKey);

/// <summary>A tenant's live API keys, oldest first.</summary>
public sealed record ApiKeyListModel(IReadOnlyList<ApiKeyModel> Items, int ElementsTotal);
