namespace Webhooks.Server.Tests;

/// <summary>
/// The documentation is split over the README and a page per audience under docs/, which link to each other: every
/// relative link must reach a file, and a heading of it when it names one, so that moving a section cannot leave a
/// link behind. Every shell block is either a command CI runs or marked as an example, as each page says.
/// </summary>
public sealed class DocumentationTests
{
    private const string ExampleMark = "# example";

    private static readonly string Root = RepositoryFolder.Root;

    public static TheoryData<string> Documents()
    {
        var documents = new TheoryData<string>();
        foreach (var path in DocumentPaths())
        {
            documents.Add(path);
        }

        return documents;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void EveryRelativeLink_PointsToAFileThatExists_AndToAHeadingOfItWhenItNamesOne(string document)
    {
        var markdown = MarkdownDocument.Load(Path.Combine(Root, document));
        var broken = new List<string>();
        foreach (var link in markdown.Links.Where(l => !l.Target.Contains(':', StringComparison.Ordinal)))
        {
            var hash = link.Target.IndexOf('#', StringComparison.Ordinal);
            var file = hash < 0 ? link.Target : link.Target[..hash];
            var fragment = hash < 0 ? null : link.Target[(hash + 1)..];
            var target = file.Length == 0 ? markdown.Path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(markdown.Path)!, Uri.UnescapeDataString(file)));
            if (!File.Exists(target) && !Directory.Exists(target))
            {
                broken.Add($"line {link.Line}: {link.Target} (no such file)");
            }
            else if (fragment is not null && !(target.EndsWith(".md", StringComparison.Ordinal) && MarkdownDocument.Load(target).Anchors.Contains(fragment)))
            {
                broken.Add($"line {link.Line}: {link.Target} (no such heading)");
            }
        }

        Assert.True(broken.Count == 0, $"{document} has broken links:\n{string.Join('\n', broken)}");
    }

    [Fact]
    public void EveryShellBlock_IsACommandCiRuns_OrMarkedAsAnExample()
    {
        var ciCommands = File.ReadAllLines(Path.Combine(Root, ".ci", "run")).Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        var unmarked = new List<string>();
        foreach (var document in DocumentPaths().Where(IsReadmeOrPage))
        {
            var markdown = MarkdownDocument.Load(Path.Combine(Root, document));
            var shellBlocks = markdown.CodeBlocks.Where(b => b.Info is "sh" or "bash" or "shell").ToList();
            foreach (var block in shellBlocks.Where(b => b.Lines.FirstOrDefault() != ExampleMark))
            {
                unmarked.AddRange(block.Lines.Where(l => l.Length > 0 && !l.StartsWith('#') && !ciCommands.Contains(l)).Select(l => $"{document} line {block.Line}: {l}"));
            }

            if (shellBlocks.Count > 0)
            {
                Assert.True(File.ReadAllText(markdown.Path).Contains($"begin with `{ExampleMark}`", StringComparison.Ordinal),
                    $"{document} has shell blocks but does not say what '{ExampleMark}' means.");
            }
        }

        Assert.True(unmarked.Count == 0, $"Commands neither run by .ci/run nor marked '{ExampleMark}':\n{string.Join('\n', unmarked)}");
    }

    [Fact]
    public void TheReadmesTestCommand_IsTheOneCiRuns()
    {
        var readme = MarkdownDocument.Load(Path.Combine(Root, "README.md"));
        var ci = File.ReadAllLines(Path.Combine(Root, ".ci", "run")).Select(l => l.Trim());

        var testBlock = Assert.Single(readme.CodeBlocks, b => b.Info == "sh" && b.Lines.Contains("./test.sh"));
        Assert.NotEqual(ExampleMark, testBlock.Lines[0]);
        Assert.Contains("./test.sh", ci);
    }

    [Theory]
    [InlineData("Embedding in your own cluster", "embedding-in-your-own-cluster")]
    [InlineData("The API in the platform's own app", "the-api-in-the-platforms-own-app")]
    [InlineData("Retries, 410 and idempotency", "retries-410-and-idempotency")]
    [InlineData("`errorCode` values", "errorcode-values")]
    [InlineData("Using [the API](api.md)", "using-the-api")]
    [InlineData("Webhooks:Delivery:LogRetention and *limits*", "webhooksdeliverylogretention-and-limits")]
    [InlineData("wake_up list", "wake_up-list")]
    public void Anchor_FollowsGitHubsRules(string heading, string anchor) =>
        Assert.Equal(anchor, MarkdownDocument.Anchor(heading));

    // The README, the pages under docs/, and every other README of the repository (a project's, the benchmark's).
    private static IEnumerable<string> DocumentPaths() =>
        Directory.EnumerateFiles(Root, "*.md", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Root, p).Replace('\\', '/'))
            .Where(p => !p.Split('/').Any(part => part is "node_modules" or "bin" or "obj" || part.StartsWith('.')))
            .Where(p => IsReadmeOrPage(p) || Path.GetFileName(p) == "README.md")
            .Order(StringComparer.Ordinal);

    private static bool IsReadmeOrPage(string path) => path == "README.md" || (path.StartsWith("docs/", StringComparison.Ordinal) && path.Count(c => c == '/') == 1);
}
