using System.Security.Cryptography;
using LicensingPlatform.Storage;
using Webhooks.Abstractions;
using Webhooks.Abstractions.Tenants;

namespace LicensingPlatform.Customers;

/// <summary>
/// A customer account in the platform's own storage. Creating it creates the customer's webhooks tenant in-process,
/// through the dispatcher's tenant grain: the tenant's id is stored first, so a crash in between is finished by a retry
/// instead of leaving a tenant nobody knows.
/// </summary>
public sealed class CustomerGrain(
    [PersistentState("customer", PlatformStorage.Name)] IPersistentState<CustomerState> customer) : Grain, ICustomerGrain
{
    private const int Iterations = 100_000;

    /// <summary>A new customer id: <c>cus_</c> and 22 url-safe base64 characters.</summary>
    public static string NewId() => "cus_" + ResourceIds.NewRandomToken(16);

    /// <inheritdoc />
    public async Task<string?> CreateAsync(string name, string password)
    {
        var state = customer.State;
        if (state.TenantCreated)
        {
            return null;
        }

        if (state.TenantId is null)
        {
            state.Name = name;
            state.Salt = RandomNumberGenerator.GetBytes(16);
            state.PasswordHash = Hash(password, state.Salt);
            state.TenantId = ResourceIds.NewTenantId();
            await customer.WriteStateAsync();
        }

        // Null means the tenant exists already: created by the attempt that crashed before recording it.
        _ = await GrainFactory.GetGrain<ITenantGrain>(state.TenantId).CreateAsync(state.Name!);
        state.TenantCreated = true;
        await customer.WriteStateAsync();
        return state.TenantId;
    }

    /// <inheritdoc />
    public Task<string?> SignInAsync(string password)
    {
        var state = customer.State;
        var valid = state.TenantCreated && CryptographicOperations.FixedTimeEquals(Hash(password, state.Salt), state.PasswordHash);
        return Task.FromResult(valid ? state.TenantId : null);
    }

    private static byte[] Hash(string password, byte[] salt) =>
        Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, 32);
}
