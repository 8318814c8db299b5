namespace Webhooks.Api.Tests.Delivery;

/// <summary>
/// The delivery test server with a one-second attempt timeout, so listeners that hang or trickle are cut off
/// quickly: three attempts (right away, after 200 ms, after 1.5 s) fit in a few seconds.
/// </summary>
public sealed class FaultServer : DeliveryServer
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    protected override IEnumerable<KeyValuePair<string, string>> AdditionalSettings() =>
        [.. base.AdditionalSettings(), KeyValuePair.Create("Webhooks:Delivery:Timeout", Timeout.ToString("c"))];
}
