namespace LicensingPlatform.Storage;

/// <summary>The platform's grain storage, by name; the dispatcher's is <c>webhooks</c>, and the two never meet.</summary>
public static class PlatformStorage
{
    /// <summary>The name the platform's grains give in <c>[PersistentState]</c>.</summary>
    public const string Name = "licensing";
}
