using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Webhooks.Grains.KeyRing;

/// <summary>
/// Outside Development, stops a silo whose Data Protection has no key ring location. Without one the framework falls
/// back to a folder in the process user's home (or to keys in memory), which a container loses on restart and the
/// other silos never see: every stored listener secret and tenant private key would become unreadable, silently.
/// The server always sets a location (a folder beside the SQLite file, or the database on PostgreSQL); a platform
/// sets its own, or registers an <see cref="IDataProtectionProvider"/> of its own, which is then trusted as it is.
/// </summary>
internal sealed class KeyRingLocationCheck(IHostEnvironment environment, IOptions<KeyManagementOptions> keys, IServiceProvider services)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public const string Problem =
        "Data Protection has no key ring location, and outside Development the webhook dispatcher will not keep listener secrets " +
        "and tenant private keys under keys that a restart or another silo loses. Persist the keys where every silo reads them " +
        "(services.AddDataProtection().PersistKeysTo…, or the PostgreSQL storage, whose key ring is in the database), or register " +
        "an IDataProtectionProvider of your own.";

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(KeyRingLocationCheck), ServiceLifecycleStage.First, _ =>
        {
            if (!environment.IsDevelopment() && UsesTheFallbackLocation())
            {
                throw new InvalidOperationException(Problem);
            }

            return Task.CompletedTask;
        });

    // Resolved here, at the silo's start, not while options are built: the framework's provider itself reads KeyManagementOptions.
    private bool UsesTheFallbackLocation() =>
        services.GetRequiredService<IDataProtectionProvider>().GetType().Assembly == typeof(KeyManagementOptions).Assembly
        && keys.Value.XmlRepository is null;
}
