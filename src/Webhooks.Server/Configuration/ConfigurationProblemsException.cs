namespace Webhooks.Server.Configuration;

/// <summary>Configuration that cannot work: each problem is one line naming the setting to fix.</summary>
internal sealed class ConfigurationProblemsException(IReadOnlyList<string> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
