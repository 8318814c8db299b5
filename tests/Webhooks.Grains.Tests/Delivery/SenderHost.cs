using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Delivery.Http;

namespace Webhooks.Grains.Tests.Delivery.Http;

/// <summary>The delivery sender as the silo builds it: a real container, <c>AddDeliverySender()</c>, options from configuration.</summary>
internal sealed class SenderHost : IDisposable
{
    private readonly ServiceProvider _provider;

    public SenderHost(IDictionary<string, string?>? settings = null, TimeProvider? time = null, IListenerHostResolver? resolver = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Webhooks:Delivery:Timeout"] = "00:00:02",
                ["Webhooks:Delivery:AllowPrivateNetworks"] = "true",
            })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        if (resolver is not null)
        {
            services.AddSingleton(resolver);
        }

        _provider = services.AddDeliverySender().BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public IServiceProvider Services => _provider;

    public IDeliverySender Sender => _provider.GetRequiredService<IDeliverySender>();

    public static DeliveryRequest Request(Uri target, string listenerId = "wh_test", string body = """{"eventId":"e1"}""", params KeyValuePair<string, string>[] headers) =>
        new(listenerId, target, System.Text.Encoding.UTF8.GetBytes(body), headers);

    public Task<AttemptOutcome> SendAsync(Uri target, string listenerId = "wh_test", CancellationToken cancellationToken = default) =>
        Sender.SendAsync(Request(target, listenerId), cancellationToken);

    public void Dispose() => _provider.Dispose();
}
