namespace Webhooks.Grains.Storage;

/// <summary>Names shared by the grains and the storage registration.</summary>
public static class WebhooksStorage
{
    /// <summary>The grain storage provider every webhook grain persists through.</summary>
    public const string ProviderName = "webhooks";
}
