namespace Webhooks.Abstractions.Catalog;

/// <summary>One place in a payload that breaks its schema: <see cref="Pointer"/> is a JSON Pointer into the payload ("" for all of it).</summary>
public sealed record SchemaViolation(string Pointer, string Message);
