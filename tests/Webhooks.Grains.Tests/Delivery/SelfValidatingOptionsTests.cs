using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Webhooks.Grains.Hosting;
using Webhooks.Grains.Retention;
using Webhooks.Grains.Signing;
using Webhooks.Grains.Storage;

namespace Webhooks.Grains.Tests.Delivery;

/// <summary>Options that check themselves are refused with their own message, naming the key, and accepted when they make sense.</summary>
public sealed class SelfValidatingOptionsTests
{
    [Fact]
    public void Retention_WithABatchOutOfRange_IsRefused_NamingTheKey()
    {
        using var services = Services(new() { ["Webhooks:Retention:SweepBatch"] = "0" },
            s => s.AddSelfValidatingOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section));

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<RetentionOptions>>().Value);

        Assert.Contains(failure.Failures, f => f.Contains("Webhooks:Retention:SweepBatch", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("KeyActivationDelay", "-00:00:01")]
    [InlineData("KeyRetirementDelay", "400.00:00:00")]
    [InlineData("KeyRefreshInterval", "00:00:00")]
    public void Signing_WithADelayOutOfRange_IsRefused_NamingTheKey(string key, string value)
    {
        using var services = Services(new() { [$"Webhooks:Signing:{key}"] = value },
            s => s.AddSelfValidatingOptions<SigningOptions>().BindConfiguration(SigningOptions.Section));

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SigningOptions>>().Value);

        Assert.Contains(failure.Failures, f => f.Contains($"Webhooks:Signing:{key}", StringComparison.Ordinal));
    }

    [Fact]
    public void Signing_ByDefault_WaitsADay_AndKeepsTheOldKeyAWeek()
    {
        using var services = Services([], s => s.AddSelfValidatingOptions<SigningOptions>().BindConfiguration(SigningOptions.Section));

        var options = services.GetRequiredService<IOptions<SigningOptions>>().Value;

        Assert.Equal((TimeSpan.FromHours(24), TimeSpan.FromDays(7)), (options.KeyActivationDelay, options.KeyRetirementDelay));
    }

    [Fact]
    public void Storage_WithoutAConnectionString_IsRefused_NamingTheKey()
    {
        using var services = Services([], s => s.AddSelfValidatingOptions<StorageOptions>().Configure(o => o.ConnectionString = " "));

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);

        Assert.Contains(failure.Failures, f => f.Contains("ConnectionStrings:Webhooks", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_ThatMakeSense_AreAccepted_AndCheckedByOneValidator()
    {
        using var services = Services(new() { ["Webhooks:Retention:SweepBatch"] = "50" }, s =>
        {
            s.AddSelfValidatingOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section);
            s.AddSelfValidatingOptions<RetentionOptions>(); // registered twice, as two hosts' calls would
        });

        Assert.Equal(50, services.GetRequiredService<IOptions<RetentionOptions>>().Value.SweepBatch);
        Assert.Single(services.GetServices<IValidateOptions<RetentionOptions>>());
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings, Action<IServiceCollection> add)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        add(services);
        return services.BuildServiceProvider();
    }
}
