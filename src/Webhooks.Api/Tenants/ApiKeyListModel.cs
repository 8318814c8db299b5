namespace Webhooks.Api.Tenants;

/// <summary>A tenant's live API keys, oldest first.</summary>
public sealed record ApiKeyListModel(IReadOnlyList<ApiKeyModel> Items, int ElementsTotal);
