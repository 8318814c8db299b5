using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using Webhooks.Api.Limits;

namespace Webhooks.Api.Tests.Limits;

/// <summary>The limits bind from configuration with their documented defaults, and a nonsensical value stops the server from starting.</summary>
public sealed class LimitsOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        using var provider = Build([]);

        var limits = provider.GetRequiredService<IOptions<ApiLimitsOptions>>().Value;
        var rates = provider.GetRequiredService<IOptions<RateLimitOptions>>().Value;

        Assert.Equal((65_536, 270_336, 100), (limits.MaxManagementBodyBytes, limits.MaxPublishBodyBytes, limits.MaxSubscriptionsPerListener));
        Assert.Equal((100, 50, TimeSpan.FromSeconds(1)), (rates.TenantKeyTokenLimit, rates.TenantKeyTokensPerPeriod, rates.TenantKeyReplenishmentPeriod));
        Assert.Equal(0, rates.PlatformKeyTokenLimit);
    }

    [Theory]
    [InlineData("Webhooks:Limits:MaxManagementBodyBytes", "10")]
    [InlineData("Webhooks:Limits:MaxPublishBodyBytes", "0")]
    [InlineData("Webhooks:Limits:MaxSubscriptionsPerListener", "0")]
    [InlineData("Webhooks:RateLimits:TenantKeyTokenLimit", "-1")]
    [InlineData("Webhooks:RateLimits:TenantKeyTokensPerPeriod", "0")]
    [InlineData("Webhooks:RateLimits:TenantKeyReplenishmentPeriod", "00:00:00")]
    [InlineData("Webhooks:RateLimits:PlatformKeyReplenishmentPeriod", "2.00:00:00")]
    public void OutOfRangeValue_FailsValidation_NamingTheSetting(string key, string value)
    {
        using var provider = Build(new() { [key] = value });

        var failure = Assert.Throws<OptionsValidationException>(() =>
        {
            _ = provider.GetRequiredService<IOptions<ApiLimitsOptions>>().Value;
            _ = provider.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        });

        Assert.Contains(key[(key.LastIndexOf(':') + 1)..], failure.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddWebhooksApi(new HostingEnvironment { EnvironmentName = "Development" });
        return services.BuildServiceProvider();
    }
}
