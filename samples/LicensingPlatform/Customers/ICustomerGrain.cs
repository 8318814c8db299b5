namespace LicensingPlatform.Customers;

/// <summary>A customer account of the platform, keyed by its <c>cus_…</c> id, with the webhooks tenant it was given.</summary>
public interface ICustomerGrain : IGrainWithStringKey
{
    /// <summary>Creates the account and its webhooks tenant; returns the tenant id, or null when the id is taken.</summary>
    Task<string?> CreateAsync(string name, string password);

    /// <summary>The account's webhooks tenant when <paramref name="password"/> is its password; otherwise null.</summary>
    [ReadOnly]
    Task<string?> SignInAsync(string password);
}
