namespace Webhooks.Api.Tenants;

/// <summary>A new tenant; <see cref="ApiKey"/> is shown this once.</summary>
public sealed record TenantCreatedModel(string Id, string Name, DateTimeOffset CreatedAt, string ApiKey);
