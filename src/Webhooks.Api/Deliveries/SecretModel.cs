namespace Webhooks.Api.Deliveries;

/// <summary>A new signing secret, shown this once.</summary>
public sealed record SecretModel(string Secret);
