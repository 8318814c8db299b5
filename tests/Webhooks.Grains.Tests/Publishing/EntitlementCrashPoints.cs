namespace Webhooks.Grains.Tests.Publishing;

public enum CrashPoint
{
    AfterStateWrite,
    AfterPublish,
}

/// <summary>
/// Where <see cref="EntitlementGrain"/> stops for the silo to be killed, registered as a silo singleton: the first
/// time it passes <see cref="StopAt"/> it signals <see cref="Reached"/> and never goes on, so nothing after that point
/// reaches storage before the crash.
/// </summary>
public sealed class EntitlementCrashPoints(CrashPoint? stopAt)
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CrashPoint? StopAt => stopAt;

    public Task Reached => _reached.Task;

    public Task PassAsync(CrashPoint point) =>
        point == stopAt && _reached.TrySetResult() ? Task.Delay(Timeout.Infinite) : Task.CompletedTask;
}
