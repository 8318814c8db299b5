namespace Webhooks.Api.Tests.Delivery;

/// <summary>
/// The delivery test server with a retry schedule of thirty steps of 20 ms: a listener failing at random gets every
/// event in the end (a 30 % failure rate fails thirty-one attempts in a row about once in 10^16), and quickly. The
/// tenant key is not rate limited: the tests publish a thousand events as fast as they are accepted.
/// </summary>
public sealed class OrderedDeliveryServer : DeliveryServer
{
    public const int Retries = 30;

    protected override IEnumerable<KeyValuePair<string, string>> AdditionalSettings() =>
    [
        .. base.AdditionalSettings(),
        .. Enumerable.Range(0, Retries).Select(i => KeyValuePair.Create($"Webhooks:Delivery:RetrySchedule:{i}", "00:00:00.020")),
        KeyValuePair.Create("Webhooks:RateLimits:TenantKeyTokenLimit", "0"),
    ];
}
