using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Abstractions;
using Webhooks.Abstractions.Listeners;
using Webhooks.Abstractions.Publishing;
using Webhooks.Abstractions.Routing;
using Webhooks.Abstractions.Tenants;
using Webhooks.Grains.Delivery;
using Webhooks.Grains.Retention;
using Webhooks.Grains.Tests.Delivery;
using Webhooks.Grains.Tests.Infrastructure;
using Webhooks.Testing;
using Xunit.Abstractions;

namespace Webhooks.Grains.Tests.Retention;

/// <summary>
/// Storage stays bounded: with every retention period at one second and the silo's own sweeper running on its own
/// timer, rounds of publishing leave the database the same size, where without retention each round would add its
/// events and deliveries. Each round waits until what it published is delivered and swept, then measures.
/// </summary>
public abstract class RetentionSoak(ITestOutputHelper output)
{
    private const int Rounds = 6;
    private const int EventsPerRound = 150;
    private const int PayloadBytes = 2048;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>Retention in seconds, a sweep four times a second, small batches so a sweep takes many.</summary>
    internal static void Configure(ISiloBuilder silo)
    {
        silo.Services.PostConfigure<DeliveryOptions>(o =>
        {
            o.AllowPrivateNetworks = true;
            o.PollInterval = TimeSpan.FromMilliseconds(50);
        });
        silo.Services.PostConfigure<RetentionOptions>(o =>
        {
            o.Events = o.SucceededDeliveries = o.FailedDeliveries = TimeSpan.FromSeconds(1);
            o.SweepInterval = TimeSpan.FromMilliseconds(250);
            o.SweepBatch = 100;
        });
    }

    /// <summary>
    /// Publishes the rounds to two listeners; after each, waits for the tables to be empty (<paramref name="rows"/>), lets
    /// <paramref name="afterSweep"/> run (PostgreSQL: the vacuum autovacuum would run) and records <paramref name="size"/>.
    /// </summary>
    internal async Task RunAsync(IGrainFactory grains, Func<Task<long>> size, Func<Task<long>> rows, Func<Task>? afterSweep = null)
    {
        var ports = new[] { TestReceiver.FreePort(), TestReceiver.FreePort() };
        await using var first = await TestReceiver.StartAsync(ports[0]);
        await using var second = await TestReceiver.StartAsync(ports[1]);
        var tenantId = ResourceIds.NewTenantId();
        Assert.NotNull(await grains.GetGrain<ITenantGrain>(tenantId).CreateAsync("Soak Ltd"));
        foreach (var port in ports)
        {
            Assert.NotNull(await grains.GetGrain<IEventRouterGrain>(tenantId).AddAsync(new ListenerDefinition($"http://127.0.0.1:{port}/hook", ["*"], null)));
        }

        var publisher = TestPublisher.Create(grains, TimeProvider.System);
        var payload = $$"""{"pad":"{{new string('x', PayloadBytes)}}"}""";
        var sizes = new List<long>();
        for (var round = 1; round <= Rounds; round++)
        {
            var accepted = await Task.WhenAll(Enumerable.Range(0, EventsPerRound).Select(i =>
                publisher.PublishAcceptedAsync(tenantId, new WebhookEvent("order.created", $"order_{round}_{i}", payload))));
            Assert.All(accepted, a => Assert.Equal(2, a.MatchedWebhooks));
            await GrainDeliveryTests.WaitUntilAsync(() => Task.FromResult(first.EventIds.Count + second.EventIds.Count >= 2 * EventsPerRound * round), "every delivery of the round arrived", Patience);
            await GrainDeliveryTests.WaitUntilAsync(async () => await rows() == 0, "the sweeper emptied the events and deliveries tables", Patience);
            if (afterSweep is not null)
            {
                await afterSweep();
            }

            sizes.Add(await size());
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: {sizes[^1]:N0} bytes"));
        }

        // From the second round on, the rounds reuse the space the sweeps freed: what they published (2 KiB payloads,
        // each event stored once and delivered twice) would have added more than all of it. (SQLite's WAL may still grow
        // by a few pages when a checkpoint finds a reader in the way, more so on a busy machine.)
        var published = (long)EventsPerRound * (Rounds - 2) * PayloadBytes;
        var growth = sizes[^1] - sizes[1];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"growth after round 2: {growth:N0} bytes; payload published meanwhile: {published:N0} bytes"));
        Assert.True(growth < published / 2, $"Storage grew by {growth:N0} bytes over rounds 3-{Rounds}, in which {published:N0} bytes of payload were published: it is not levelling off ({string.Join(", ", sizes)}).");
    }
}
