using System.Collections.Immutable;
using Webhooks.Abstractions.Listeners;

namespace Webhooks.Grains.Tests.Infrastructure;

/// <summary>Listener definitions and comparisons for tests.</summary>
internal static class TestListeners
{
    /// <summary>Adds a listener and returns it without its one-time secret.</summary>
    public static async Task<ListenerView> AddListenerAsync(this Webhooks.Abstractions.Routing.IEventRouterGrain router, ListenerDefinition definition) =>
        (await router.AddAsync(definition))!.Listener;

    public static ListenerDefinition Definition(params string[] subscriptions) =>
        new($"https://hooks.example.com/{Guid.NewGuid():N}", [.. subscriptions], "test listener");

    /// <summary>Field by field: <see cref="ImmutableArray{T}"/> compares by reference, so record equality would not do.</summary>
    public static void AssertSameView(ListenerView expected, ListenerView? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.TenantId, actual.TenantId);
        Assert.Equal(expected.Uri, actual.Uri);
        Assert.Equal<string>(expected.Subscriptions, actual.Subscriptions);
        Assert.Equal(expected.Description, actual.Description);
        Assert.Equal(expected.Enabled, actual.Enabled);
        Assert.Equal(expected.DisabledReason, actual.DisabledReason);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.UpdatedAt, actual.UpdatedAt);
    }

    public static void AssertSameIds(IEnumerable<string> expected, ImmutableArray<string> actual)
    {
        Assert.Equal(actual.Length, actual.Distinct().Count());
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
    }
}
