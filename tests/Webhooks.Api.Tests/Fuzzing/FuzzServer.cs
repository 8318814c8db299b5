using Webhooks.Api.Tests.Infrastructure;

namespace Webhooks.Api.Tests.Fuzzing;

/// <summary>The real server with deliveries that finish fast, so the events the fuzzer publishes do not linger.</summary>
public sealed class FuzzServer : ApiServer
{
    protected override IEnumerable<KeyValuePair<string, string>> AdditionalSettings() =>
    [
        KeyValuePair.Create("Webhooks:Delivery:Timeout", "00:00:02"),
        KeyValuePair.Create("Webhooks:Delivery:RetrySchedule:0", "00:00:00.1"),
        KeyValuePair.Create("Webhooks:Delivery:JitterRatio", "0"),
        KeyValuePair.Create("Webhooks:Delivery:PollInterval", "00:00:00.05"),
        KeyValuePair.Create("Webhooks:Delivery:AllowPrivateNetworks", "true"),
    ];
}
