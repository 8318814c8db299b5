namespace Webhooks.Api.Listeners;

/// <summary>The event catalog, in the compatible API's shape.</summary>
public sealed record EventTypeList(IReadOnlyList<EventTypeModel> Items, int ElementsTotal);
