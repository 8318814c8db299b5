
namespace Webhooks.Abstractions.Publishing;

/// <summary>What one published event may carry, on both publishing paths; configured in <c>Webhooks:Limits</c>.</summary>
public sealed class PublishLimitsOptions
{
    /// <summary>The configuration section (shared with the HTTP API's and the silo's other limits).</summary>
    public const string Section = "Webhooks:Limits";

    /// <summary>The smallest cap that can be configured.</summary>
    public const int MinPayloadBytes = 1024;

    /// <summary>The largest cap that can be configured.</summary>
    public const int MaxAllowedPayloadBytes = 64 * 1024 * 1024;

    /// <summary>The largest payload of an event, in bytes of UTF-8; a larger one is refused with a <c>payload</c> error.</summary>
    /// <value>
    /// The default is 270 336 (264 KiB), the HTTP API's default body cap for publishing, so the in-process publisher
    /// accepts every payload the HTTP API does with the default settings.
    /// </value>
    public int MaxPayloadBytes { get; set; } = (256 + 8) * 1024;
}
