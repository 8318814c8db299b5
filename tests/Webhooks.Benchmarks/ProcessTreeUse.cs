using System.Globalization;

namespace Webhooks.Benchmarks;

/// <summary>
/// What a process and its children have used so far: CPU time from <c>/proc</c>, and the bytes written to the device
/// holding its data (<see cref="BlockDevice"/>). Used for the PostgreSQL server the benchmark starts, whose backends do
/// the storage work that the SQLite mode does inside the measured process: a delivery's cost in that mode is the
/// dispatcher's and the database's.
/// </summary>
internal readonly record struct ProcessTreeUse(double CpuSeconds, long WriteBytes)
{
    /// <summary>The kernel's clock ticks per second in <c>/proc/&lt;pid&gt;/stat</c> (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    public static ProcessTreeUse operator -(ProcessTreeUse end, ProcessTreeUse start) =>
        new(end.CpuSeconds - start.CpuSeconds, end.WriteBytes - start.WriteBytes);

    /// <summary>
    /// The CPU time of <paramref name="rootPid"/> and its live children, and the bytes written so far to the device
    /// holding <paramref name="dataFolder"/>; null where the kernel cannot say. Children that have exited count too: the
    /// kernel adds their CPU time (cutime, cstime) to the parent once reaped.
    /// </summary>
    public static ProcessTreeUse? Read(int rootPid, string dataFolder)
    {
        try
        {
            if (Stat(rootPid) is not { } root)
            {
                return null;
            }

            var cpuTicks = root.OwnTicks + root.ChildrenTicks;
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) &&
                    pid != rootPid && Stat(pid) is { } child && child.ParentPid == rootPid)
                {
                    cpuTicks += child.OwnTicks + child.ChildrenTicks;
                }
            }

            return BlockDevice.BytesWritten(dataFolder) is { } written ? new ProcessTreeUse(cpuTicks / TicksPerSecond, written) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static (int ParentPid, long OwnTicks, long ChildrenTicks)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // exited between the listing and the read
        }

        // The command name (field 2) may hold spaces and parentheses: the fields after it start after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return ((int)Field(4), Field(14) + Field(15), Field(16) + Field(17));
    }
}
