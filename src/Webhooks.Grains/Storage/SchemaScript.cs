namespace Webhooks.Grains.Storage;

/// <summary>One schema script: its version (the file's number), file name and text.</summary>
internal sealed record SchemaScript(int Version, string Name, string Text);
