using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Webhooks.Api.Tests.OpenApi;

/// <summary>
/// Runs the standard OpenAPI linter pinned in <c>tests/openapi-lint</c> (its package.json and package-lock.json) with the
/// rules in its <c>redocly.yaml</c>, installing it with <c>npm ci</c> first when it is missing, as on a clean clone.
/// </summary>
internal static class OpenApiLinter
{
    private static readonly SemaphoreSlim Install = new(1, 1);

    private static string Folder { get; } = typeof(OpenApiLinter).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "OpenApiLintFolder").Value!;

    private static string Cli => Path.Combine(Folder, "node_modules", "@redocly", "cli", "bin", "cli.js");

    /// <summary>Lints <paramref name="documentPath"/>; the result lists every problem the rules found.</summary>
    public static async Task<LintResult> LintAsync(string documentPath)
    {
        await EnsureInstalledAsync();
        var (exitCode, output, error) = await RunAsync("node", [Cli, "lint", documentPath, "--config", Path.Combine(Folder, "redocly.yaml"), "--format=json"]);
        var start = output.IndexOf('{', StringComparison.Ordinal);
        Assert.True(start >= 0, $"The linter wrote no report (exit code {exitCode}): {output}{error}");
        using var report = JsonDocument.Parse(output[start..]);
        var totals = report.RootElement.GetProperty("totals");
        var problems = report.RootElement.GetProperty("problems").EnumerateArray()
            .Select(p => $"{p.GetProperty("severity").GetString()} {p.GetProperty("ruleId").GetString()}: {p.GetProperty("message").GetString()} at "
                + string.Join(", ", p.GetProperty("location").EnumerateArray().Select(l => l.TryGetProperty("pointer", out var pointer) ? pointer.GetString() : "?")))
            .ToArray();
        return new LintResult(totals.GetProperty("errors").GetInt32(), totals.GetProperty("warnings").GetInt32(), problems);
    }

    private static async Task EnsureInstalledAsync()
    {
        await Install.WaitAsync();
        try
        {
            if (File.Exists(Cli))
            {
                return;
            }

            var (exitCode, output, error) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"]);
            Assert.True(exitCode == 0 && File.Exists(Cli), $"Installing the OpenAPI linter (npm ci in {Folder}) failed with exit code {exitCode}: {output}{error}");
        }
        finally
        {
            Install.Release();
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = Folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry, no update check: the run reads nothing but the document and the committed rules.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}

/// <summary>What the linter found: its counts, and one line per problem.</summary>
internal sealed record LintResult(int Errors, int Warnings, IReadOnlyList<string> Problems);
