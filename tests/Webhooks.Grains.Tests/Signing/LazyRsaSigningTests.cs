using Microsoft.Extensions.DependencyInjection;
using Webhooks.Abstractions;
using Webhooks.Abstractions.Listeners;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Signing;
using Webhooks.Grains.Tests.Infrastructure;

namespace Webhooks.Grains.Tests.Signing;

/// <summary>
/// The RSA signature is made only for a listener that takes it, once per body, and shared: counted by a
/// <see cref="SignedBodies"/> of the test's own (built from the silo's services, so no other caller adds to its count),
/// with the tenant's real key and real signers.
/// </summary>
public sealed class LazyRsaSigningTests
{
    [Fact]
    public async Task ListenersWithoutTheNSignature_CostNoRsaSignature_AndThoseWithItShareOne()
    {
        using var deployment = new TestDeployment();
        await using var cluster = await WebhooksCluster.StartAsync(deployment);
        var tenantId = ResourceIds.NewTenantId();
        Assert.NotNull(await cluster.Tenant(tenantId).CreateAsync("Lazy"));
        var bodies = ActivatorUtilities.CreateInstance<SignedBodies>(cluster.SiloServices);
        var protector = cluster.SiloServices.GetRequiredService<SecretProtector>();
        var keys = new ListenerKeys(protector.ProtectListenerSecret(ListenerSecrets.Create()), null, null);
        var delivery = SampleDelivery.Of("event_lazy");
        var own = new Dictionary<string, string>();
        Task<DeliveryRequest> SignAsync(ListenerSignatures signatures, int attempt = 1) =>
            new DeliverySigner(bodies, protector, TimeProvider.System).SignAsync("wh_1", tenantId, new Uri("https://hooks.example.com/"), keys, own, signatures, delivery, attempt);

        var standard = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => SignAsync(ListenerSignatures.Standard)));

        Assert.Equal(0, bodies.SignaturesMade);
        Assert.All(standard, r => Assert.DoesNotContain(r.Headers, h => h.Key is DeliverySigner.SignatureHeader or DeliverySigner.SignatureKeyIdHeader));
        Assert.All(standard, r => Assert.Contains(r.Headers, h => h.Key == DeliverySigner.HmacHeader));

        var rsa = await Task.WhenAll(SignAsync(ListenerSignatures.NSignature), SignAsync(ListenerSignatures.NSignature), SignAsync(ListenerSignatures.Both));

        Assert.Equal(1, bodies.SignaturesMade);
        Assert.Single(rsa.Select(r => r.Headers.Single(h => h.Key == DeliverySigner.SignatureHeader).Value).Distinct());
        Assert.DoesNotContain(rsa[0].Headers, h => h.Key == DeliverySigner.HmacHeader);
        Assert.Contains(rsa[2].Headers, h => h.Key == DeliverySigner.HmacHeader);
        Assert.All(rsa, r => Assert.Equal(standard[0].Body.ToArray(), r.Body.ToArray())); // one body, signed or not

        // The next attempt is another body: unsigned while only standard listeners ask for it.
        await SignAsync(ListenerSignatures.Standard, attempt: 2);
        Assert.Equal(1, bodies.SignaturesMade);
        await SignAsync(ListenerSignatures.Both, attempt: 2);
        Assert.Equal(2, bodies.SignaturesMade);
    }

    [Fact]
    public async Task CallersThatComeTogether_ShareOneSignature_MadeOnce()
    {
        using var deployment = new TestDeployment();
        await using var cluster = await WebhooksCluster.StartAsync(deployment);
        var tenantId = ResourceIds.NewTenantId();
        Assert.NotNull(await cluster.Tenant(tenantId).CreateAsync("Together"));
        var bodies = ActivatorUtilities.CreateInstance<SignedBodies>(cluster.SiloServices);
        var delivery = SampleDelivery.Of("event_together");
        await bodies.GetUnsignedAsync(tenantId, delivery, 1); // the tenant's keys read and the body built: only the signature is left

        // 32 callers on thread-pool threads, released at once, as the listeners of one event ask for its signature.
        using var start = new ManualResetEventSlim();
        var callers = Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await bodies.GetAsync(tenantId, delivery, 1);
        })).ToList();
        start.Set();
        var signed = await Task.WhenAll(callers);

        Assert.Equal(1, bodies.SignaturesMade);
        Assert.Single(signed.Distinct()); // the one signed body, itself
        Assert.Equal(signed[0], await bodies.GetAsync(tenantId, delivery, 1));
        Assert.Equal(1, bodies.SignaturesMade);
    }
}
