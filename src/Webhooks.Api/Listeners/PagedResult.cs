namespace Webhooks.Api.Listeners;

/// <summary>One page of a list, in the compatible API's shape.</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int PageSize, int PageNumber, int ElementsTotal);
