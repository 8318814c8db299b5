namespace Webhooks.Api.Tenants;

/// <summary>A new API key; <see cref="ApiKey"/> is the full key, shown this once.</summary>
public sealed record ApiKeyCreatedModel(string Id, string? Name, string Prefix, DateTimeOffset CreatedAt, string ApiKey);
