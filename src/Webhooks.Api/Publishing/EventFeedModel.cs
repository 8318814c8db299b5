using System.Text.Json.Serialization;
using Webhooks.Abstractions.Publishing;

namespace Webhooks.Api.Publishing;

/// <summary>A page of the events feed, in acceptance order; <see cref="Next"/> is absent when nothing more is there yet.</summary>
public sealed record EventFeedModel(
    IReadOnlyList<FeedEventModel> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Next)
{
    public static EventFeedModel From(EventFeedPage page) =>
        new([.. page.Items.Select(FeedEventModel.From)], page.Next is { } next ? FeedCursor.Encode(next) : null);
}
