using System.Reflection;

namespace Webhooks.Grains.Storage;

/// <summary>
/// The numbered schema scripts this assembly carries for one database engine: embedded resources named
/// <c>{engine}/NNN-name.sql</c> (from <c>deploy/sql/{engine}/</c>), in version order.
/// </summary>
internal static class SchemaScripts
{
    public static IReadOnlyList<SchemaScript> For(string engine)
    {
        var prefix = engine + "/";
        var assembly = typeof(SchemaScripts).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(name => new SchemaScript(int.Parse(name.AsSpan(prefix.Length, 3)), name[prefix.Length..], Read(assembly, name)))
            .OrderBy(s => s.Version)];

        static string Read(Assembly assembly, string name)
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            return reader.ReadToEnd();
        }
    }
}
