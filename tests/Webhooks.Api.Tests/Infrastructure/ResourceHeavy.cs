namespace Webhooks.Api.Tests.Infrastructure;

/// <summary>
/// Test classes that must not run at the same time: the fuzzer sends megabyte bodies, which would blur the fault
/// tests' measurement of how much memory an endless response costs.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ResourceHeavy
{
    public const string Name = "Resource-heavy";
}
