using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Webhooks.Grains.Tests.Infrastructure;

/// <summary>Days pass on a fake clock for the product, while Orleans' own clocks (grain timers, membership, reminders) stay real.</summary>
internal static class FakeClock
{
    /// <summary>
    /// The product's services (the grains, the sender, the retention sweeper) take the unkeyed <see cref="TimeProvider"/>;
    /// Orleans resolves a keyed one per area that defaults to the unkeyed one, so those are pinned back to real time.
    /// </summary>
    public static void Use(ISiloBuilder silo, FakeTimeProvider clock)
    {
        silo.Services.AddSingleton<TimeProvider>(clock);
        silo.Services.RemoveAllKeyed<TimeProvider>(KeyedService.AnyKey);
        silo.Services.AddKeyedSingleton<TimeProvider>(KeyedService.AnyKey, TimeProvider.System);
    }
}
