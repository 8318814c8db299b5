using System.Globalization;
using Orleans.Concurrency;
using Webhooks.Abstractions.Publishing;
using Webhooks.Grains.Storage;

namespace Webhooks.Grains.Tests.Publishing;

/// <summary>A platform's own grain, as an embedding host writes it: it changes its state, then publishes a webhook for the change.</summary>
public interface IEntitlementGrain : IGrainWithStringKey
{
    /// <summary>Sets the seats as a new version, stores it, then publishes its webhook; returns the version.</summary>
    Task<long> ChangeAsync(string tenantId, int seats);

    /// <summary>Publishes the stored version's webhook unless it is known to be published; null when it is.</summary>
    Task<PublishResult?> PublishPendingAsync(string tenantId);

    [ReadOnly]
    Task<EntitlementState> GetAsync();
}

[GenerateSerializer, Alias("tests.EntitlementState")]
public sealed class EntitlementState
{
    [Id(0)] public long Version { get; set; }
    [Id(1)] public int Seats { get; set; }
    /// <summary>The last version whose publish was accepted: after a crash it may lag <see cref="Version"/> by one.</summary>
    [Id(2)] public long PublishedVersion { get; set; }
}

public sealed class EntitlementGrain(
    [PersistentState("entitlement", WebhooksStorage.ProviderName)] IPersistentState<EntitlementState> entitlement,
    IWebhookPublisher publisher,
    EntitlementCrashPoints crashPoints) : Grain, IEntitlementGrain
{
    public const string EventCode = "entitlement.updated";

    public static string EventId(string entitlementId, long version) => WebhookEventIds.ForChange("entitlement." + entitlementId, version);

    public async Task<long> ChangeAsync(string tenantId, int seats)
    {
        // A change never overtakes the webhook of the one before it, which only this state still describes.
        await PublishPendingAsync(tenantId);
        entitlement.State.Version++;
        entitlement.State.Seats = seats;
        await entitlement.WriteStateAsync();
        await crashPoints.PassAsync(CrashPoint.AfterStateWrite);
        await PublishPendingAsync(tenantId);
        return entitlement.State.Version;
    }

    public async Task<PublishResult?> PublishPendingAsync(string tenantId)
    {
        var state = entitlement.State;
        if (state.PublishedVersion >= state.Version)
        {
            return null;
        }

        // The id comes from the change, not from this attempt: publishing it again is answered from storage.
        var payload = string.Create(CultureInfo.InvariantCulture, $$"""{"seats":{{state.Seats}},"version":{{state.Version}}}""");
        var outcome = await publisher.PublishAsync(tenantId,
            new WebhookEvent(EventCode, this.GetPrimaryKeyString(), payload, EventId(this.GetPrimaryKeyString(), state.Version)));
        if (!outcome.IsAccepted)
        {
            throw new InvalidOperationException("The entitlement's webhook was refused: " + string.Join("; ", outcome.Errors));
        }

        await crashPoints.PassAsync(CrashPoint.AfterPublish);
        state.PublishedVersion = state.Version;
        await entitlement.WriteStateAsync();
        return outcome.Result;
    }

    public Task<EntitlementState> GetAsync() => Task.FromResult(entitlement.State);
}
