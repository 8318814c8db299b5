using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans.Storage;

namespace Webhooks.Grains.Storage;

/// <summary>
/// Stores grain state as plain camelCase JSON. No .NET type or assembly names are written, so renaming or
/// moving a state class never makes stored data unreadable, and the rows stay readable to an operator.
/// </summary>
public sealed class JsonGrainStateSerializer : IGrainStorageSerializer
{
    internal static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, Options));

    public T Deserialize<T>(BinaryData input) =>
        JsonSerializer.Deserialize<T>(input.ToMemory().Span, Options)
        ?? throw new JsonException($"Stored state for {typeof(T).Name} is the JSON literal null.");
}
