namespace LicensingPlatform.Entitlements;

/// <summary>What an entitlement stores, in the platform's own storage (<see cref="Storage.PlatformStorage.Name"/>).</summary>
[GenerateSerializer, Alias("licensing.EntitlementState")]
public sealed class EntitlementState
{
    /// <summary>The webhooks tenant of the entitlement's customer, whose listeners get its webhooks.</summary>
    [Id(0)] public string? TenantId { get; set; }

    /// <summary>Seats the customer may activate.</summary>
    [Id(1)] public int Seats { get; set; }

    /// <summary>Bumped by every change; 0 until the entitlement is created.</summary>
    [Id(2)] public long Version { get; set; }

    /// <summary>The last version whose webhook was accepted; after a crash it may lag <see cref="Version"/> by one.</summary>
    [Id(3)] public long PublishedVersion { get; set; }

    /// <summary>How many times the renewal-check reminder has run.</summary>
    [Id(4)] public int RenewalChecks { get; set; }

    /// <summary>When it last ran.</summary>
    [Id(5)] public DateTimeOffset? LastRenewalCheck { get; set; }
}
