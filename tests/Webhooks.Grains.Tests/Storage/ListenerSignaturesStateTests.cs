using Webhooks.Abstractions.Listeners;
using Webhooks.Grains.Listeners;
using Webhooks.Grains.Storage;

namespace Webhooks.Grains.Tests.Storage;

/// <summary>
/// A listener's <c>signatures</c> at rest: state stored before the choice existed (the listener's own, and the router's
/// intent) reads as both, and a choice survives the round trip through the state serializer.
/// </summary>
public sealed class ListenerSignaturesStateTests
{
    private static readonly JsonGrainStateSerializer Serializer = new();

    [Fact]
    public void ListenerState_StoredBeforeTheChoice_ReadsAsBoth()
    {
        var stored = BinaryData.FromString("""{"tenantId":"t_1","uri":"https://hooks.example.com/","subscriptions":["*"],"ordering":1}""");

        var state = Serializer.Deserialize<ListenerState>(stored);

        Assert.Equal(ListenerSignatures.Both, state.Signatures);
        Assert.Equal(ListenerOrdering.Resource, state.Ordering);
    }

    [Fact]
    public void ListenerDefinition_StoredBeforeTheChoice_ReadsAsBoth()
    {
        var stored = BinaryData.FromString("""{"uri":"https://hooks.example.com/","subscriptions":["*"],"description":null}""");

        Assert.Equal(ListenerSignatures.Both, Serializer.Deserialize<ListenerDefinition>(stored).Signatures);
    }

    [Theory]
    [InlineData(ListenerSignatures.NSignature)]
    [InlineData(ListenerSignatures.Standard)]
    public void TheChoice_SurvivesTheRoundTrip(ListenerSignatures signatures)
    {
        var state = new ListenerState { TenantId = "t_1", Signatures = signatures };
        var definition = new ListenerDefinition("https://hooks.example.com/", ["*"], null, Signatures: signatures);

        Assert.Equal(signatures, Serializer.Deserialize<ListenerState>(Serializer.Serialize(state)).Signatures);
        Assert.Equal(signatures, Serializer.Deserialize<ListenerDefinition>(Serializer.Serialize(definition)).Signatures);
    }
}
