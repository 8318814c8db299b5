using System.Net;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Testing;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>
/// <c>recover</c> with an end (exclusive), for one listener or for every listener of the tenant at once, and the
/// literal <c>recover</c> segment next to the <c>{webhookListenerId}</c> routes.
/// </summary>
public sealed class RecoverApiTests(DeliveryServer server) : ApiTest(server), IClassFixture<DeliveryServer>
{
    [Fact]
    public async Task RecoverAll_ReQueuesTheFailuresOfEveryListenerOfTheTenant_CreatedInTheWindow_AndNoOtherTenants()
    {
        await using var listener = await TestReceiver.StartAsync();
        var (first, second, foreign) = (listener.Endpoint(500), listener.Endpoint(500), listener.Endpoint(500));
        var tenant = await Server.CreateTenantAsync("Recovering");
        string[] ids = [(await tenant.Client.CreateListenerAsync(first.Uri.ToString(), "*")).String("id"), (await tenant.Client.CreateListenerAsync(second.Uri.ToString(), "*")).String("id")];
        var other = await Server.CreateTenantAsync("Bystander");
        var otherId = (await other.Client.CreateListenerAsync(foreign.Uri.ToString(), "*")).String("id");

        var inWindow = (await tenant.Client.PublishAsync("customer.created")).EventId;
        var otherEvent = (await other.Client.PublishAsync("customer.created")).EventId;
        var since = await EarliestCreatedAtAsync(tenant, ids, inWindow);
        var after = (await tenant.Client.PublishAsync("customer.created")).EventId;
        var until = await EarliestCreatedAtAsync(tenant, ids, after); // exclusive: the later event is left alone
        await other.Client.WaitForStatusAsync(otherId, otherEvent, "failed");

        first.AnswerNext(200);
        second.AnswerNext(200);
        foreign.AnswerNext(200);
        using var recover = await tenant.Client.PostAsync($"{Route}/recover", Json.Raw($$"""{"since":"{{since:O}}","until":"{{until:O}}"}"""));

        Assert.Equal(HttpStatusCode.Accepted, recover.StatusCode);
        Assert.Equal(2, (await Json.ReadObjectAsync(recover)).Int("requeued"));
        foreach (var id in ids)
        {
            await tenant.Client.WaitForStatusAsync(id, inWindow, "succeeded");
            Assert.Equal("failed", (await tenant.Client.WaitForDeliveryAsync(id, after, _ => true)).String("status"));
        }

        Assert.Equal("failed", (await other.Client.WaitForDeliveryAsync(otherId, otherEvent, _ => true)).String("status"));
    }

    [Fact]
    public async Task Recover_WithAnEnd_ReQueuesOnlyWhatWasCreatedBeforeIt()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint(500);
        var tenant = await Server.CreateTenantAsync("Recovering");
        var id = (await tenant.Client.CreateListenerAsync(endpoint.Uri.ToString(), "*")).String("id");
        var older = (await tenant.Client.PublishAsync("customer.created")).EventId;
        var since = await EarliestCreatedAtAsync(tenant, [id], older);
        var newer = (await tenant.Client.PublishAsync("customer.created")).EventId;
        var until = await EarliestCreatedAtAsync(tenant, [id], newer);

        endpoint.AnswerNext(200);
        using var recover = await tenant.Client.PostAsync($"{Route}/{id}/recover", Json.Raw($$"""{"since":"{{since:O}}","until":"{{until:O}}"}"""));

        Assert.Equal(1, (await Json.ReadObjectAsync(recover)).Int("requeued"));
        await tenant.Client.WaitForStatusAsync(id, older, "succeeded");
        Assert.Equal("failed", (await tenant.Client.WaitForDeliveryAsync(id, newer, _ => true)).String("status"));
    }

    public static TheoryData<string> Routes => new() { $"{Route}/recover", $"{Route}/{{id}}/recover" };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Recover_WithAnEndNotAfterSince_Returns422_AndWithABadEnd_Returns400(string route)
    {
        var tenant = await Server.CreateTenantAsync("Recovering");
        var id = (await tenant.Client.CreateListenerAsync()).String("id");
        var path = route.Replace("{id}", id, StringComparison.Ordinal);

        using var same = await tenant.Client.PostAsync(path, Json.Raw("""{"since":"2026-01-01T00:00:00Z","until":"2026-01-01T00:00:00Z"}"""));
        using var before = await tenant.Client.PostAsync(path, Json.Raw("""{"since":"2026-01-01T00:00:00Z","until":"2025-12-31T23:59:59Z"}"""));
        using var noSince = await tenant.Client.PostAsync(path, Json.Raw("""{"until":"2026-01-01T00:00:00Z"}"""));
        using var bad = await tenant.Client.PostAsync(path, Json.Raw("""{"since":"2026-01-01T00:00:00Z","until":"tomorrow"}"""));

        await Problems.AssertValidationProblemAsync(same, "until");
        await Problems.AssertValidationProblemAsync(before, "until");
        await Problems.AssertValidationProblemAsync(noSince, "since");
        await Problems.AssertProblemAsync(bad, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task RecoverSegment_IsNotReadAsAListenerId_ByTheOtherVerbs()
    {
        var tenant = await Server.CreateTenantAsync("Recovering");

        using var get = await tenant.Client.GetAsync($"{Route}/recover");
        using var delete = await tenant.Client.DeleteAsync($"{Route}/recover");
        using var none = await tenant.Client.PostAsync($"{Route}/recover", Json.Raw("""{"since":"2000-01-01T00:00:00Z"}"""));

        await Problems.AssertProblemAsync(get, HttpStatusCode.NotFound, "NotFound");
        await Problems.AssertProblemAsync(delete, HttpStatusCode.NotFound, "NotFound");
        Assert.Equal(HttpStatusCode.Accepted, none.StatusCode);
        Assert.Equal(0, (await Json.ReadObjectAsync(none)).Int("requeued"));
    }

    /// <summary>Waits for every listener's delivery of the event to fail and returns the earliest creation time.</summary>
    private static async Task<DateTimeOffset> EarliestCreatedAtAsync(TestTenant tenant, string[] listenerIds, string eventId)
    {
        var created = new List<DateTimeOffset>();
        foreach (var id in listenerIds)
        {
            created.Add((await tenant.Client.WaitForStatusAsync(id, eventId, "failed")).GetProperty("createdAt").GetDateTimeOffset());
        }

        return created.Min();
    }
}
