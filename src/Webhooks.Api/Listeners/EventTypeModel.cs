using System.Text.Json.Serialization;
using Webhooks.Abstractions.Catalog;
using Webhooks.Api.Publishing;

namespace Webhooks.Api.Listeners;

/// <summary>
/// One catalog entry: the compatible API's type, code and description, and, when the deployment gives them, the JSON
/// Schema a payload of this code satisfies and an example payload (left out when there is none).
/// </summary>
public sealed record EventTypeModel(
    string Type,
    string Code,
    string Description,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    RawJson? Schema = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    RawJson? Example = null)
{
    public static EventTypeModel From(EventType eventType) =>
        new(eventType.Type, eventType.Code, eventType.Description, RawJson.From(eventType.Schema), RawJson.From(eventType.Example));
}
