namespace Webhooks.Server.Configuration;

/// <summary>How a configuration that cannot work ends the process: one line per problem on stderr, and exit code 1.</summary>
internal static class StartupFailure
{
    public const int ExitCode = 1;

    public static int Report(ConfigurationProblemsException problems, TextWriter error)
    {
        foreach (var problem in problems.Problems)
        {
            // One line each, whatever a parser's message held.
            error.WriteLine("Configuration error: " + problem.ReplaceLineEndings(" "));
        }

        error.Flush();
        return ExitCode;
    }
}
