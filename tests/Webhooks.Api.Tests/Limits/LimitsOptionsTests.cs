using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using Webhooks.Abstractions.Limits;
using Webhooks.Api.Limits;

namespace Webhooks.Api.Tests.Limits;

/// <summary>The limits bind from configuration with their documented defaults, and a nonsensical value stops the server from starting.</summary>
public sealed class LimitsOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        using var provider = Build([]);

        var limits = provider.GetRequiredService<IOptions<WebhooksLimitsOptions>>().Value;
        var rates = provider.GetRequiredService<IOptions<RateLimitOptions>>().Value;

        Assert.Equal((65_536, 270_336, 100), (limits.MaxManagementBodyBytes, limits.MaxPublishBodyBytes, limits.MaxSubscriptionsPerListener));
        Assert.Equal((1000, 270_336), (limits.MaxListenersPerTenant, limits.MaxPayloadBytes));
        Assert.Equal((100, 50, TimeSpan.FromSeconds(1)), (rates.TenantKeyTokenLimit, rates.TenantKeyTokensPerPeriod, rates.TenantKeyReplenishmentPeriod));
        Assert.Equal(0, rates.PlatformKeyTokenLimit);
    }

    [Fact]
    public void Limits_AskedForByTheApiAndTheSilo_AreBoundAndValidatedOnce()
    {
        // AddWebhooksApi registers them, and so does AddWebhookPublishing, as the silo's AddWebhooks does.
        using var provider = Build([], services => services.AddWebhooksLimits());

        Assert.Single(provider.GetServices<IConfigureOptions<WebhooksLimitsOptions>>());
        Assert.Single(provider.GetServices<IValidateOptions<WebhooksLimitsOptions>>());
    }

    [Theory]
    [InlineData("Webhooks:Limits:MaxListenersPerTenant", "0")]
    [InlineData("Webhooks:Limits:MaxPayloadBytes", "67108865")]
    [InlineData("Webhooks:Limits:MaxManagementBodyBytes", "10")]
    [InlineData("Webhooks:Limits:MaxManagementBodyBytes", "99999999999")]
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
            _ = provider.GetRequiredService<IOptions<WebhooksLimitsOptions>>().Value;
            _ = provider.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        });

        Assert.Contains(key, failure.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection>? more = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddWebhooksApi(new HostingEnvironment { EnvironmentName = "Development" });
        more?.Invoke(services);
        return services.BuildServiceProvider();
    }
}
