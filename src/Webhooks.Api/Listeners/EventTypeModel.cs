namespace Webhooks.Api.Listeners;

/// <summary>One catalog entry.</summary>
public sealed record EventTypeModel(string Type, string Code, string Description);
