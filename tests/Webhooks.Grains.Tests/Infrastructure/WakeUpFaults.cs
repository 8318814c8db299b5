using Webhooks.Grains.Delivery;

namespace Webhooks.Grains.Tests.Infrastructure;

/// <summary>
/// What a test does to a silo's wake-up list (<see cref="IWakeUps"/>), made before the silo starts and watched from
/// the test: count additions, freeze them (as when the process dies before the row is written), or fail reads (as
/// when the database is not reachable yet). Everything it does not break goes through to the real list.
/// </summary>
internal sealed class WakeUpFaults
{
    private int _adds;
    private int _failedReads;
    private volatile bool _frozen;
    private volatile bool _unreadable;
    private readonly TaskCompletionSource<GrainId> _frozenAdd = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Additions that reached the list so far.</summary>
    public int Adds => Volatile.Read(ref _adds);

    /// <summary>Reads failed so far.</summary>
    public int FailedReads => Volatile.Read(ref _failedReads);

    /// <summary>Completes with the grain of the first addition that froze.</summary>
    public Task<GrainId> FrozenAdd => _frozenAdd.Task;

    /// <summary>From now on every addition never completes.</summary>
    public void FreezeAdds() => _frozen = true;

    /// <summary>Every read fails until <see cref="EndReadOutage"/>.</summary>
    public WakeUpFaults StartReadOutage()
    {
        _unreadable = true;
        return this;
    }

    public void EndReadOutage() => _unreadable = false;

    /// <summary>The silo's list behind these faults.</summary>
    internal sealed class List(IWakeUps inner, WakeUpFaults faults) : IWakeUps
    {
        public Task AddAsync(GrainId grain)
        {
            if (faults._frozen)
            {
                faults._frozenAdd.TrySetResult(grain);
                return new TaskCompletionSource().Task;
            }

            Interlocked.Increment(ref faults._adds);
            return inner.AddAsync(grain);
        }

        public Task RemoveAsync(GrainId grain) => inner.RemoveAsync(grain);

        public Task<IReadOnlyList<GrainId>> ReadAsync(CancellationToken cancellation)
        {
            if (!faults._unreadable)
            {
                return inner.ReadAsync(cancellation);
            }

            Interlocked.Increment(ref faults._failedReads);
            return Task.FromException<IReadOnlyList<GrainId>>(new TimeoutException("The wake-up list is unreachable (test outage)."));
        }
    }
}

internal static class WakeUpFaultsSiloBuilderExtensions
{
    /// <summary>Puts the silo's wake-up list (registered by <c>AddWebhooks</c> before this call) behind <paramref name="faults"/>.</summary>
    public static ISiloBuilder WithWakeUpFaults(this ISiloBuilder silo, WakeUpFaults faults)
    {
        silo.Services.Decorate<IWakeUps>(real => new WakeUpFaults.List(real, faults));
        return silo;
    }
}
