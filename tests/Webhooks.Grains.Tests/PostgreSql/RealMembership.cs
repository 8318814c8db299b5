using System.Reflection;
using Orleans.TestingHost;

namespace Webhooks.Grains.Tests.PostgreSql;

/// <summary>Lets an in-process test cluster use the membership table its silos and client are configured with.</summary>
internal static class RealMembership
{
    /// <summary>
    /// The in-process test cluster normally shares an in-memory membership table between its silos and client. Its
    /// switch is internal; turned off, silos and client use what they are configured with: the AdoNet table here.
    /// </summary>
    public static void Use(InProcessTestClusterOptions options)
    {
        var property = typeof(InProcessTestClusterOptions).GetProperty("UseTestClusterMembership", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("InProcessTestClusterOptions.UseTestClusterMembership is gone: find the new way to turn off the in-memory membership table.");
        property.SetValue(options, false);
    }
}
