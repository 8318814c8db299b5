namespace Webhooks.Grains.Delivery;

/// <summary>One attempt to send: the listener (for per-listener isolation), where, the exact body bytes and the headers to add.</summary>
public sealed record DeliveryRequest(
    string ListenerId,
    Uri Target,
    ReadOnlyMemory<byte> Body,
    IReadOnlyList<KeyValuePair<string, string>> Headers);
