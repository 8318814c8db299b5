using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Webhooks.Grains.Hosting;

/// <summary>Options that check themselves: <see cref="Validate"/> is null when they make sense, else why not, naming the key.</summary>
public interface ISelfValidatingOptions
{
    /// <summary>Null when the options make sense, else why not.</summary>
    string? Validate();
}

/// <summary>Registers self-checking options so a silo with a setting out of range refuses to start, with the options' own message.</summary>
internal static class SelfValidatingOptions
{
    /// <summary>Adds <typeparamref name="T"/>, checked once, at start; the returned builder binds or configures it.</summary>
    /// <param name="services">The silo's services.</param>
    public static OptionsBuilder<T> AddSelfValidatingOptions<T>(this IServiceCollection services)
        where T : class, ISelfValidatingOptions
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, Validator<T>>());
        return services.AddOptions<T>().ValidateOnStart();
    }

    private sealed class Validator<T> : IValidateOptions<T>
        where T : class, ISelfValidatingOptions
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            options.Validate() is { } failure ? ValidateOptionsResult.Fail(failure) : ValidateOptionsResult.Success;
    }
}
