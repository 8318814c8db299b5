namespace Webhooks.Api.Tenants;

/// <summary>The optional body of <c>POST api/v1/tenants/{tenantId}/keys</c>.</summary>
/// <param name="Name">What the key is for, up to 200 characters; optional.</param>
public sealed record CreateApiKeyRequest(string? Name);
