using System.Diagnostics;

namespace Webhooks.Sample.Tests;

/// <summary>Bounded polling: reads until a condition holds or the patience runs out, and returns the last reading either way.</summary>
internal static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value) || clock.Elapsed > patience)
            {
                return value;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }
}
