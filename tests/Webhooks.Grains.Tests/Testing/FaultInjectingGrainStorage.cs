using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;
using Webhooks.Storage;

namespace Webhooks.Testing;

/// <summary>Wraps the real grain storage and consults <see cref="StorageFaults"/> before every call.</summary>
internal sealed class FaultInjectingGrainStorage(IGrainStorage inner, StorageFaults faults)
    : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        await faults.BeforeReadOrClearAsync();
        await inner.ReadStateAsync(stateName, grainId, grainState, cancellationToken);
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var fault = faults.OnWrite(new StorageWrite(stateName, grainId, grainState.State));
        switch (fault)
        {
            case WriteFault.Freeze:
                await StorageFaults.FreezeAsync();
                break;
            case WriteFault.FailBeforeWriting:
                throw new InjectedStorageFailureException($"Injected failure before writing {stateName} of {grainId}.");
        }

        await inner.WriteStateAsync(stateName, grainId, grainState, cancellationToken);
        if (fault == WriteFault.FailAfterWriting)
        {
            throw new InjectedStorageFailureException($"Injected failure after writing {stateName} of {grainId}.");
        }
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        await faults.BeforeReadOrClearAsync();
        await inner.ClearStateAsync(stateName, grainId, grainState, cancellationToken);
    }

    // The provider's own registration resolves its lifecycle participant through the keyed IGrainStorage, which is
    // now this decorator, so the real provider still initialises (reads its queries) with the silo.
    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);
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
        var provider = services.Last(d => d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, WebhookStorage.ProviderName));
        var createProvider = provider.KeyedImplementationFactory
            ?? throw new InvalidOperationException("The webhooks grain storage is no longer registered through a factory.");
        services.Remove(provider);
        services.AddKeyedSingleton<IGrainStorage>(
            WebhookStorage.ProviderName,
            (sp, key) => new FaultInjectingGrainStorage((IGrainStorage)createProvider(sp, key), faults));
        return silo;
    }
}
