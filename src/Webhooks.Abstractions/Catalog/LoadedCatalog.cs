namespace Webhooks.Abstractions.Catalog;

/// <summary>
/// The configured catalog as read: each entry with its schema and example as compact JSON text, each code's built
/// schema, and what stops it from being used, one message per problem naming its setting.
/// </summary>
internal sealed record LoadedCatalog(
    IReadOnlyList<EventType> EventTypes,
    IReadOnlyDictionary<string, EventSchema> Schemas,
    IReadOnlyList<string> Problems);
