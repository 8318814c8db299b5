using Webhooks.Abstractions.Publishing;

namespace Webhooks.Grains.Tests.Publishing;

public sealed class WebhookEventIdsTests
{
    [Fact]
    public void ForChange_OfAValidKey_IsTheKeyAndTheVersion() =>
        Assert.Equal("entitlement.ent_42:v7", WebhookEventIds.ForChange("entitlement.ent_42", 7));

    [Theory]
    [InlineData("entitlement/ent 42")]
    [InlineData("clé")]
    [InlineData("k.looks-hashed")]
    public void ForChange_OfAKeyThatCannotBeAnId_IsAValidIdFromItsHash(string key)
    {
        var id = WebhookEventIds.ForChange(key, long.MaxValue);

        Assert.True(WebhookEventRules.IsEventId(id), id);
        Assert.StartsWith("k.", id, StringComparison.Ordinal);
        Assert.EndsWith($":v{long.MaxValue}", id, StringComparison.Ordinal);
        Assert.Equal(id, WebhookEventIds.ForChange(key, long.MaxValue));
    }

    [Fact]
    public void ForChange_OfALongKey_StaysWithinTheLimit_AndTellsKeysApart()
    {
        var key = new string('a', WebhookEventRules.MaxIdLength);

        var id = WebhookEventIds.ForChange(key, 1);

        Assert.True(WebhookEventRules.IsEventId(id), id);
        Assert.NotEqual(id, WebhookEventIds.ForChange(key + "b", 1));
        Assert.NotEqual(id, WebhookEventIds.ForChange(key, 2));
    }

    [Fact]
    public void ForChange_RefusesANegativeVersion_AndAnEmptyKey()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WebhookEventIds.ForChange("ent_1", -1));
        Assert.Throws<ArgumentException>(() => WebhookEventIds.ForChange("", 1));
    }
}
