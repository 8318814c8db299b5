using System.Globalization;

namespace Webhooks.Benchmarks;

/// <summary>
/// Bytes written to the block device that holds a folder, from the kernel's own counters (<c>/sys/dev/block</c>): what
/// reached the disk, from every process on the machine. The per-process <c>write_bytes</c> of <c>/proc/&lt;pid&gt;/io</c>
/// counts a whole page-cache folio each time a clean one is dirtied; on kernels that cache files in large folios,
/// PostgreSQL's small WAL writes after each fsync count several times what the disk receives (32 KB per delivery
/// against 4 KB at the device, measured on this machine), so the database's figure is taken here instead.
/// </summary>
internal static class BlockDevice
{
    /// <summary>The device's bytes written so far, or null where the kernel does not say.</summary>
    public static long? BytesWritten(string folder)
    {
        try
        {
            if (DeviceOf(folder) is not { } device)
            {
                return null;
            }

            // Field 7 of the stat file: sectors written, in 512-byte units whatever the device's own sector size.
            var fields = File.ReadAllText($"/sys/dev/block/{device}/stat").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(fields[6], CultureInfo.InvariantCulture) * 512;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The <c>major:minor</c> of the mount that holds <paramref name="folder"/> (the longest mount point above it).</summary>
    private static string? DeviceOf(string folder)
    {
        var path = Path.GetFullPath(folder);
        string? device = null;
        var longest = -1;
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // "id parent major:minor root mount-point options ...": the mount point's spaces are escaped as \040.
            var fields = line.Split(' ');
            var mountPoint = fields[4].Replace("\\040", " ", StringComparison.Ordinal);
            var under = mountPoint == "/" || path == mountPoint || path.StartsWith(mountPoint + "/", StringComparison.Ordinal);
            if (under && mountPoint.Length > longest)
            {
                longest = mountPoint.Length;
                device = fields[2];
            }
        }

        return device;
    }
}
