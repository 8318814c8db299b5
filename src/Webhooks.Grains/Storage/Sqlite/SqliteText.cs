using System.Globalization;

namespace Webhooks.Grains.Storage.Sqlite;

/// <summary>How the SQLite tables hold instants: UTC text in the round-trip format, which sorts and compares as the instants do.</summary>
internal static class SqliteText
{
    public static string From(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset ToDate(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
