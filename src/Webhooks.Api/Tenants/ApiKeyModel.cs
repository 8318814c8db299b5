namespace Webhooks.Api.Tenants;

/// <summary>An API key as listed: never its secret or hash. <see cref="Prefix"/> is the key up to its secret (<c>wk.{tenantId}.{keyId}</c>).</summary>
public sealed record ApiKeyModel(string Id, string? Name, string Prefix, DateTimeOffset CreatedAt);
