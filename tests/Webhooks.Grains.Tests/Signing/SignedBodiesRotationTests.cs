using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Abstractions;
using Webhooks.Abstractions.Tenants;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Signing;
using Webhooks.Grains.Tests.Infrastructure;

namespace Webhooks.Grains.Tests.Signing;

/// <summary>
/// How a silo's copy of a tenant's keys follows a rotation, on a fake clock: a scheduled switch happens at the activation
/// instant without reading the keys again (the copy carries the activation time), a body signed before the switch is not
/// served after it, and a silo that did not rotate learns of an emergency switch within the refresh interval. A second
/// <see cref="SignedBodies"/> built from the silo's services stands in for another silo.
/// </summary>
public sealed class SignedBodiesRotationTests
{
    private static readonly TimeSpan Activation = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Refresh = TimeSpan.FromHours(1);

    [Fact]
    public async Task ScheduledSwitch_HappensAtTheActivationInstant_OnEverySilo_AndTheBodySignedBeforeIsNotServedAfter()
    {
        var (deployment, clock, cluster) = await StartAsync();
        await using var _ = cluster;
        using var __ = deployment;
        var tenantId = ResourceIds.NewTenantId();
        Assert.NotNull(await cluster.Tenant(tenantId).CreateAsync("Rotating"));
        var here = cluster.SiloServices.GetRequiredService<SignedBodies>();
        var elsewhere = ActivatorUtilities.CreateInstance<SignedBodies>(cluster.SiloServices);
        var delivery = Delivery("event_switch");
        var old = await here.GetAsync(tenantId, delivery, 1);

        var rotated = await cluster.Tenant(tenantId).RotateSigningKeyAsync(activateNow: false);
        Assert.NotNull(rotated);
        var next = JwkThumbprint.OfRsa(rotated.Key.PublicKeyModulus, rotated.Key.PublicKeyExponent);
        Assert.Equal(old.KeyId, JwkThumbprint.OfRsa(rotated.Previous.PublicKeyModulus, rotated.Previous.PublicKeyExponent));

        // Both copies are read now, the next key waiting in them; neither is read again before the switch.
        Assert.Equal(old.KeyId, (await here.GetAsync(tenantId, delivery, 1)).KeyId);
        Assert.Equal(old.KeyId, (await elsewhere.GetAsync(tenantId, delivery, 1)).KeyId);
        clock.Advance(Activation - TimeSpan.FromTicks(1));
        Assert.Equal(old.Signature, (await here.GetAsync(tenantId, delivery, 1)).Signature);

        clock.Advance(TimeSpan.FromTicks(1));

        foreach (var silo in new[] { here, elsewhere })
        {
            var signed = await silo.GetAsync(tenantId, delivery, 1);
            Assert.Equal(next, signed.KeyId);
            Assert.NotEqual(old.Signature, signed.Signature);
            Assert.True(Verifies(rotated.Key.PublicKeyModulus, signed));
            Assert.False(Verifies(rotated.Previous.PublicKeyModulus, signed));
        }
    }

    [Fact]
    public async Task EmergencySwitch_IsAtOnceOnTheSiloThatRotated_AndWithinTheRefreshIntervalElsewhere()
    {
        var (deployment, clock, cluster) = await StartAsync();
        await using var _ = cluster;
        using var __ = deployment;
        var tenantId = ResourceIds.NewTenantId();
        Assert.NotNull(await cluster.Tenant(tenantId).CreateAsync("Emergency"));
        var here = cluster.SiloServices.GetRequiredService<SignedBodies>();
        var elsewhere = ActivatorUtilities.CreateInstance<SignedBodies>(cluster.SiloServices);
        var old = (await here.GetAsync(tenantId, Delivery("event_before"), 1)).KeyId;
        Assert.Equal(old, (await elsewhere.GetAsync(tenantId, Delivery("event_before"), 1)).KeyId);

        var rotated = await cluster.Tenant(tenantId).RotateSigningKeyAsync(activateNow: true);
        var next = JwkThumbprint.OfRsa(rotated!.Key.PublicKeyModulus, rotated.Key.PublicKeyExponent);

        Assert.Equal(next, (await here.GetAsync(tenantId, Delivery("event_after"), 1)).KeyId);
        Assert.Equal(old, (await elsewhere.GetAsync(tenantId, Delivery("event_after"), 1)).KeyId); // the documented bound: still the old key, which is still published
        clock.Advance(Refresh);
        Assert.Equal(next, (await elsewhere.GetAsync(tenantId, Delivery("event_after"), 1)).KeyId);
    }

    private static async Task<(TestDeployment, FakeTimeProvider, WebhooksCluster)> StartAsync()
    {
        var deployment = new TestDeployment();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var cluster = await WebhooksCluster.StartAsync(deployment, silo =>
        {
            FakeClock.Use(silo, clock);
            silo.Services.PostConfigure<SigningOptions>(o =>
            {
                o.KeyActivationDelay = Activation;
                o.KeyRefreshInterval = Refresh;
            });
        });
        return (deployment, clock, cluster);
    }

    private static DeliveryRecord Delivery(string eventId) => SampleDelivery.Of(eventId);

    private static bool Verifies(string modulus, SignedBody signed)
    {
        using var rsa = RSA.Create(new RSAParameters { Modulus = Base64Url.DecodeFromChars(modulus), Exponent = Base64Url.DecodeFromChars("AQAB") });
        return rsa.VerifyData(signed.Body, Convert.FromBase64String(signed.Signature), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
