using System.Text.Json;
using LicensingPlatform.Hosting;
using LicensingPlatform.Storage;
using Microsoft.Extensions.Options;
using Webhooks.Abstractions.Publishing;

namespace LicensingPlatform.Entitlements;

/// <summary>
/// The platform's own grain. Its state lives in the platform's storage, not the dispatcher's; its renewal check is a
/// reminder of its own; each change is published as a webhook exactly once as the listener sees it: under an id derived
/// from the change (<see cref="WebhookEventIds.ForChange"/>), with the last published version remembered, and a
/// pending version published before anything else happens.
/// </summary>
public sealed class EntitlementGrain(
    [PersistentState("entitlement", PlatformStorage.Name)] IPersistentState<EntitlementState> entitlement,
    IWebhookPublisher publisher,
    IOptions<LicensingOptions> options,
    TimeProvider time) : Grain, IEntitlementGrain, IRemindable
{
    /// <summary>The webhook of an entitlement's first version.</summary>
    public const string Created = "entitlement.created";

    /// <summary>The webhook of every later version.</summary>
    public const string Updated = "entitlement.updated";

    /// <summary>The reminder that runs the renewal check.</summary>
    public const string RenewalCheck = "renewal-check";

    /// <summary>The key of an entitlement grain: entitlement ids are the customer's own, so the key says whose it is.</summary>
    public static string Key(string customerId, string entitlementId) => $"{customerId}/{entitlementId}";

    /// <summary>The webhook id of one version of an entitlement; unique within its customer's tenant.</summary>
    public static string EventId(string entitlementId, long version) => WebhookEventIds.ForChange("entitlement." + entitlementId, version);

    private string EntitlementId => this.GetPrimaryKeyString().Split('/', 2)[1];

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Reminders kept in memory are lost with the silo: an entitlement brings its own back whenever it wakes up.
        if (entitlement.State.Version > 0)
        {
            await EnsureRenewalCheckAsync();
        }
    }

    /// <inheritdoc />
    public async Task<EntitlementView> SetSeatsAsync(string tenantId, int seats)
    {
        // A change never overtakes the webhook of the one before it, which only this state still describes.
        await PublishPendingAsync();
        var state = entitlement.State;
        if (state.Version > 0 && state.Seats == seats)
        {
            return View();
        }

        state.TenantId ??= tenantId;
        state.Seats = seats;
        state.Version++;
        await entitlement.WriteStateAsync();
        CrashIfAt(CrashPoint.AfterStateWrite);
        await PublishPendingAsync();
        if (state.Version == 1)
        {
            await EnsureRenewalCheckAsync();
        }

        return View();
    }

    /// <inheritdoc />
    public Task<EntitlementView?> GetAsync() => Task.FromResult(entitlement.State.Version > 0 ? View() : null);

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != RenewalCheck || entitlement.State.Version == 0)
        {
            return;
        }

        // Every time the grain runs is a chance to retry a webhook a crash left pending.
        await PublishPendingAsync();
        entitlement.State.RenewalChecks++;
        entitlement.State.LastRenewalCheck = time.GetUtcNow();
        await entitlement.WriteStateAsync();
    }

    private async Task PublishPendingAsync()
    {
        var state = entitlement.State;
        if (state.PublishedVersion >= state.Version || state.TenantId is null)
        {
            return;
        }

        // The id comes from the change, not from this attempt: publishing it again is answered from storage.
        var payload = JsonSerializer.Serialize(new { entitlementId = EntitlementId, seats = state.Seats, version = state.Version });
        var outcome = await publisher.PublishAsync(state.TenantId, new WebhookEvent(
            state.Version == 1 ? Created : Updated, EntitlementId, payload, EventId(EntitlementId, state.Version)));
        if (!outcome.IsAccepted)
        {
            throw new InvalidOperationException("The entitlement's webhook was refused: " + string.Join("; ", outcome.Errors));
        }

        CrashIfAt(CrashPoint.AfterPublish);
        state.PublishedVersion = state.Version;
        await entitlement.WriteStateAsync();
    }

    // The test hook (LicensingOptions.CrashAt): the process dies at once, as a silo killed with SIGKILL does.
    private void CrashIfAt(CrashPoint point)
    {
        if (options.Value.CrashAt == point)
        {
            System.Diagnostics.Process.GetCurrentProcess().Kill();
        }
    }

    private Task EnsureRenewalCheckAsync() =>
        this.RegisterOrUpdateReminder(RenewalCheck, options.Value.RenewalCheckPeriod, options.Value.RenewalCheckPeriod);

    private EntitlementView View()
    {
        var state = entitlement.State;
        return new EntitlementView(EntitlementId, state.Seats, state.Version, state.PublishedVersion, state.RenewalChecks, state.LastRenewalCheck);
    }
}
