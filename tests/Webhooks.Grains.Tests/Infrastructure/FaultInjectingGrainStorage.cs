using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Webhooks.Grains.Delivery.Log;
using Webhooks.Grains.Publishing;
using Webhooks.Grains.Storage;

namespace Webhooks.Grains.Tests.Infrastructure;

/// <summary>Wraps the real grain storage and consults <see cref="StorageFaults"/> before every call.</summary>
internal sealed class FaultInjectingGrainStorage(IGrainStorage inner, StorageFaults faults)
    : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        await faults.BeforeReadAsync();
        await inner.ReadStateAsync(stateName, grainId, grainState, cancellationToken);
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var write = new StorageWrite(stateName, grainId, grainState.State);
        var fault = await faults.BeforeWriteAsync(write);
        await inner.WriteStateAsync(stateName, grainId, grainState, cancellationToken);
        StorageFaults.AfterWrite(fault, write);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    // A clear removes the row, so it is a write too (reported with no state): a crash or failure can be armed on it.
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var clear = new StorageWrite(stateName, grainId, null);
        var fault = await faults.BeforeWriteAsync(clear);
        await inner.ClearStateAsync(stateName, grainId, grainState, cancellationToken);
        StorageFaults.AfterWrite(fault, clear);
    }

    // The provider's own registration resolves its lifecycle participant through the keyed IGrainStorage, which is
    // now this decorator, so the real provider still initialises (reads its queries) with the silo.
    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);
}

/// <summary>
/// Wraps the real delivery log the same way: a listener's delivery rows are the other half of what it stores, so
/// a frozen silo must not write them either. Writes are reported with the state name <c>delivery-log</c>.
/// </summary>
internal sealed class FaultInjectingDeliveryLog(IDeliveryLog inner, StorageFaults faults) : IDeliveryLog
{
    public async Task<IReadOnlyList<DeliveryRow>> LoadAsync(string listenerId)
    {
        await faults.BeforeReadAsync();
        return await inner.LoadAsync(listenerId);
    }

    public async Task SaveAsync(string listenerId, DeliveryLogChanges changes)
    {
        var write = new StorageWrite("delivery-log", GrainId.Create("webhook", listenerId), changes);
        var fault = await faults.BeforeWriteAsync(write);
        await inner.SaveAsync(listenerId, changes);
        StorageFaults.AfterWrite(fault, write);
    }
}

internal static class FaultInjectionSiloBuilderExtensions
{
    /// <summary>
    /// Puts <see cref="FaultInjectingGrainStorage"/> in place of the <c>webhooks</c> provider. Orleans resolves named
    /// grain storage as a keyed <see cref="IGrainStorage"/> singleton, so the provider's keyed registration is
    /// replaced by one that builds the real provider and wraps it. Call after <c>AddWebhooks</c>.
    /// </summary>
    public static ISiloBuilder InjectStorageFaults(this ISiloBuilder silo, StorageFaults faults)
    {
        var services = silo.Services;
        services.Decorate<IDeliveryLog>(log => new FaultInjectingDeliveryLog(log, faults));
        services.Decorate<IAcceptedEvents>(events => new FaultInjectingAcceptedEvents(events, faults));

        var provider = services.Last(d => d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, WebhooksStorage.ProviderName));
        var createProvider = provider.KeyedImplementationFactory
            ?? throw new InvalidOperationException("The webhooks grain storage is no longer registered through a factory.");
        services.Remove(provider);
        services.AddKeyedSingleton<IGrainStorage>(
            WebhooksStorage.ProviderName,
            (sp, key) => new FaultInjectingGrainStorage((IGrainStorage)createProvider(sp, key), faults));
        return silo;
    }
}
