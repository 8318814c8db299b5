using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Webhooks.Grains.Delivery;

namespace Webhooks.Grains.Tests.Delivery.Http;

public sealed class DeliveryOptionsBindingTests
{
    [Fact]
    public void AddDeliverySender_WhenNoScheduleIsConfigured_UsesTheDefaultSchedule()
    {
        using var host = new SenderHost();

        var options = host.Services.GetRequiredService<IOptions<DeliveryOptions>>().Value;

        Assert.Equal(DeliveryOptions.DefaultRetrySchedule, options.GetRetrySchedule());
        Assert.Equal(TimeSpan.FromSeconds(2), options.Timeout);
        Assert.True(options.AllowPrivateNetworks);
    }

    [Fact]
    public void AddDeliverySender_WhenAScheduleIsConfigured_UsesItInsteadOfTheDefault()
    {
        using var host = new SenderHost(new Dictionary<string, string?>
        {
            ["Webhooks:Delivery:RetrySchedule:0"] = "00:00:01",
            ["Webhooks:Delivery:RetrySchedule:1"] = "00:01:00",
        });

        var options = host.Services.GetRequiredService<IOptions<DeliveryOptions>>().Value;

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)], options.GetRetrySchedule());
    }

    [Theory]
    [InlineData("Timeout", "00:00:00")]
    [InlineData("Timeout", "00:00:00.001")]
    [InlineData("RetrySchedule:0", "-00:00:01")]
    [InlineData("CircuitBreakerDuration", "00:00:00.100")]
    public void AddDeliverySender_WhenASettingIsInvalid_FailsValidation(string key, string value)
    {
        using var host = new SenderHost(new Dictionary<string, string?> { [$"Webhooks:Delivery:{key}"] = value });

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<DeliveryOptions>>().Value);

        Assert.Contains(failure.Failures, f => f.Contains($"Webhooks:Delivery:{key.Split(':')[0]}", StringComparison.Ordinal));
    }
}
