using Webhooks.Api.Tests.Infrastructure;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>
/// The server with a key schedule short enough to watch run out: a rotated key activates after 2 s and the key it replaces
/// leaves the key set 5 s after that. Silos read a tenant's keys again only after an hour, so a switch seen here comes from
/// the activation time in the silo's copy, not from a fresh read.
/// </summary>
public sealed class ShortKeyScheduleServer : ApiServer
{
    protected override IEnumerable<KeyValuePair<string, string>> AdditionalSettings() =>
    [
        KeyValuePair.Create("Webhooks:Signing:KeyActivationDelay", "00:00:02"),
        KeyValuePair.Create("Webhooks:Signing:KeyRetirementDelay", "00:00:05"),
        KeyValuePair.Create("Webhooks:Signing:KeyRefreshInterval", "01:00:00"),
    ];
}
