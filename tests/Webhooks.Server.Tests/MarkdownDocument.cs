using System.Text;
using System.Text.RegularExpressions;

namespace Webhooks.Server.Tests;

/// <summary>
/// What the documentation tests read in a Markdown file: its links (outside code), the anchors its headings get on
/// GitHub, and its fenced code blocks.
/// </summary>
internal sealed partial class MarkdownDocument
{
    private MarkdownDocument(string path, List<MarkdownLink> links, HashSet<string> anchors, List<CodeBlock> codeBlocks)
    {
        Path = path;
        Links = links;
        Anchors = anchors;
        CodeBlocks = codeBlocks;
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    public IReadOnlyList<MarkdownLink> Links { get; }

    public IReadOnlySet<string> Anchors { get; }

    public IReadOnlyList<CodeBlock> CodeBlocks { get; }

    public static MarkdownDocument Load(string path)
    {
        var links = new List<MarkdownLink>();
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var codeBlocks = new List<CodeBlock>();
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = Fence().Match(lines[i]);
            if (fence.Success)
            {
                var start = i;
                var body = new List<string>();
                while (++i < lines.Length && !lines[i].TrimStart().StartsWith(fence.Groups["marks"].Value, StringComparison.Ordinal))
                {
                    body.Add(lines[i].Trim());
                }

                codeBlocks.Add(new CodeBlock(fence.Groups["info"].Value.Trim(), body, start + 1));
                continue;
            }

            var prose = CodeSpan().Replace(lines[i], "");
            if (Heading().Match(prose) is { Success: true } heading)
            {
                AddAnchor(anchors, Anchor(heading.Groups["text"].Value));
            }

            links.AddRange(Link().Matches(prose).Select(m => new MarkdownLink(m.Groups["target"].Value, i + 1)));
        }

        return new MarkdownDocument(path, links, anchors, codeBlocks);
    }

    /// <summary>
    /// The anchor GitHub gives a heading: its text as rendered (no code marks, emphasis or link targets), lowercase,
    /// with every character but letters, digits, '-', '_' and spaces dropped and each space made a '-'.
    /// </summary>
    public static string Anchor(string headingText)
    {
        var rendered = InlineLink().Replace(headingText, "${text}").Replace("`", "", StringComparison.Ordinal).Replace("*", "", StringComparison.Ordinal);
        var anchor = new StringBuilder();
        foreach (var c in rendered.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                anchor.Append(c);
            }
            else if (c == ' ')
            {
                anchor.Append('-');
            }
        }

        return anchor.ToString();
    }

    // A second heading with the same text gets "-1", a third "-2", and so on.
    private static void AddAnchor(HashSet<string> anchors, string anchor)
    {
        var unique = anchor;
        for (var n = 1; !anchors.Add(unique); n++)
        {
            unique = $"{anchor}-{n}";
        }
    }

    [GeneratedRegex(@"^\s*(?<marks>```|~~~)(?<info>.*)$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.*?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"\[(?:[^\[\]]|\[[^\[\]]*\])*\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"\[(?<text>[^\]]*)\]\([^)]*\)")]
    private static partial Regex InlineLink();
}

/// <summary>A link or image in a Markdown file: its target as written, and the line it is on.</summary>
internal sealed record MarkdownLink(string Target, int Line);

/// <summary>A fenced code block: its info string (the language), its lines trimmed, and the line of its opening fence.</summary>
internal sealed record CodeBlock(string Info, IReadOnlyList<string> Lines, int Line);
