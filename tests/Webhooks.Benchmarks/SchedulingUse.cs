using System.Runtime.InteropServices;

namespace Webhooks.Benchmarks;

/// <summary>
/// How often this process handed work from one thread to another so far: the thread pool's completed work items, and
/// the kernel's context switches of all its threads (<c>getrusage</c>, which keeps the counts of threads that have
/// exited). Per delivery, against the raw ceiling's per POST, they count the hops a delivery takes beyond the POST
/// itself: each one a queue, often a thread woken, and the scheduler's time in the kernel, which CPU profiles show
/// spread over everything else.
/// </summary>
internal readonly record struct SchedulingUse(long WorkItems, long? ContextSwitches)
{
    private const int RusageSelf = 0;

    public static SchedulingUse operator -(SchedulingUse end, SchedulingUse start) =>
        new(end.WorkItems - start.WorkItems, end.ContextSwitches - start.ContextSwitches);

    public static SchedulingUse Read() => new(ThreadPool.CompletedWorkItemCount, ContextSwitchesSoFar());

    /// <summary>Voluntary and involuntary context switches of every thread the process has had; null where the OS does not say.</summary>
    private static long? ContextSwitchesSoFar()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            return getrusage(RusageSelf, out var usage) == 0 ? usage.VoluntarySwitches + usage.InvoluntarySwitches : null;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out Rusage usage);

    /// <summary>Linux's <c>struct rusage</c> on 64-bit platforms: two <c>timeval</c>s, then fourteen longs.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long MaxResident, SharedMemory, UnsharedData, UnsharedStack, MinorFaults, MajorFaults, Swaps;
        public long BlocksIn, BlocksOut, MessagesSent, MessagesReceived, Signals;
        public long VoluntarySwitches, InvoluntarySwitches;
    }
}
