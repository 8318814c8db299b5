namespace LicensingPlatform.Entitlements;

/// <summary>One customer's entitlement, keyed <c>{customer id}/{entitlement id}</c>: its seats, and a renewal check that runs on its own reminder.</summary>
public interface IEntitlementGrain : IGrainWithStringKey
{
    /// <summary>
    /// Sets the seats for <paramref name="tenantId"/>'s customer: a new version, stored, then its webhook published
    /// (<c>entitlement.created</c> for the first, <c>entitlement.updated</c> after). Setting the seats it already has
    /// changes nothing, so a retried request only publishes a webhook still pending.
    /// </summary>
    Task<EntitlementView> SetSeatsAsync(string tenantId, int seats);

    /// <summary>The entitlement, or null when it was never created.</summary>
    [ReadOnly]
    Task<EntitlementView?> GetAsync();
}

/// <summary>An entitlement as the platform shows it.</summary>
[GenerateSerializer, Immutable, Alias("licensing.EntitlementView")]
public sealed record EntitlementView(
    [property: Id(0)] string Id,
    [property: Id(1)] int Seats,
    [property: Id(2)] long Version,
    [property: Id(3)] long PublishedVersion,
    [property: Id(4)] int RenewalChecks,
    [property: Id(5)] DateTimeOffset? LastRenewalCheck);
