namespace LicensingPlatform.Customers;

/// <summary>What a customer account stores: its name, a salted password hash and its webhooks tenant.</summary>
[GenerateSerializer, Alias("licensing.CustomerState")]
public sealed class CustomerState
{
    /// <summary>The display name, also the webhooks tenant's name.</summary>
    [Id(0)] public string? Name { get; set; }

    /// <summary>PBKDF2 salt.</summary>
    [Id(1)] public byte[] Salt { get; set; } = [];

    /// <summary>PBKDF2-SHA256 of the password.</summary>
    [Id(2)] public byte[] PasswordHash { get; set; } = [];

    /// <summary>The webhooks tenant (<c>t_…</c>) whose listeners get this customer's webhooks; chosen before it is created.</summary>
    [Id(3)] public string? TenantId { get; set; }

    /// <summary>True once the tenant exists.</summary>
    [Id(4)] public bool TenantCreated { get; set; }
}
