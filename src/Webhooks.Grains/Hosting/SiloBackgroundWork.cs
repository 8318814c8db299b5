namespace Webhooks.Grains.Hosting;

/// <summary>
/// Work a silo runs in the background from the moment it is active (grain calls and storage ready) until it stops,
/// without holding up its start: the stop cancels it and waits for it, as long as the silo's stop allows.
/// </summary>
public abstract class SiloBackgroundWork : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    void ILifecycleParticipant<ISiloLifecycle>.Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(GetType().Name, ServiceLifecycleStage.Active, OnStartAsync, OnStopAsync);

    /// <summary>The work; it ends when <paramref name="cancellation"/> is cancelled, and must not throw for anything else.</summary>
    protected abstract Task RunAsync(CancellationToken cancellation);

    private Task OnStartAsync(CancellationToken cancellationToken)
    {
        _running = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await _running.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
