using System.Net;
using System.Text.Json;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Testing;
using static Webhooks.Api.Tests.Infrastructure.WebhooksClient;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>
/// <c>signatures</c>: a listener receives exactly the signatures it chose, each verifying the way a listener would check
/// it (the <c>N-Signature</c> with the tenant's public key, the HMAC with the listener's secret); both when it never
/// chose, an update replaces the choice like every field, and the test's forged copy breaks what the listener receives.
/// </summary>
public sealed class ListenerSignaturesTests(DeliveryServer server) : ApiTest(server), IClassFixture<DeliveryServer>
{
    private const string ProbeHeader = "webhook-probe";

    public static TheoryData<string?, string[]> Choices => new()
    {
        { """["n-signature"]""", ["n-signature"] },
        { """["standard"]""", ["standard"] },
        { """["standard","n-signature"]""", ["n-signature", "standard"] },
        { "null", ["n-signature", "standard"] },
        { null, ["n-signature", "standard"] },
    };

    [Theory]
    [MemberData(nameof(Choices))]
    public async Task EachChoice_IsShownBack_AndIsExactlyWhatTheListenerReceives(string? field, string[] effective)
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint();
        var tenant = await Server.CreateTenantAsync("Signatures");
        var signatures = field is null ? "" : $$""","signatures":{{field}}""";

        using var response = await tenant.Client.PostAsync(Route, Json.Raw($$"""{"uri":"{{endpoint.Uri}}","subscriptions":["*"]{{signatures}}}"""));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await Json.ReadObjectAsync(response);
        var id = created.String("id");
        Assert.Equal(effective, Names(created));
        Assert.Equal(effective, Names(await tenant.Client.GetListenerAsync(id)));
        Assert.Equal(effective, Names((await tenant.Client.ListAsync()).GetProperty("items")[0]));
        var received = (await endpoint.WaitForAsync((await tenant.Client.PublishAsync("customer.created")).EventId)).Single();
        await AssertSignedAsAsync(received, effective, tenant, created.String("secret"));
    }

    [Fact]
    public async Task Update_SwitchesTheChoice_AndAnUpdateWithoutTheFieldIsBoth()
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint();
        var tenant = await Server.CreateTenantAsync("Switching");
        var uri = endpoint.Uri.ToString();
        var created = await tenant.Client.CreateListenerAsync(uri, "*");
        var (id, secret) = (created.String("id"), created.String("secret"));
        Assert.Equal(["n-signature", "standard"], Names(created));

        foreach (var choice in new[] { "standard", "n-signature" })
        {
            await UpdateAsync(tenant, id, new { uri, subscriptions = new[] { "*" }, signatures = new[] { choice } });
            Assert.Equal([choice], Names(await tenant.Client.GetListenerAsync(id)));
            var received = (await endpoint.WaitForAsync((await tenant.Client.PublishAsync("customer.created")).EventId)).Single();
            await AssertSignedAsAsync(received, [choice], tenant, secret);
        }

        await UpdateAsync(tenant, id, new { uri, subscriptions = new[] { "*" } });
        Assert.Equal(["n-signature", "standard"], Names(await tenant.Client.GetListenerAsync(id)));
        var again = (await endpoint.WaitForAsync((await tenant.Client.PublishAsync("customer.created")).EventId)).Single();
        await AssertSignedAsAsync(again, ["n-signature", "standard"], tenant, secret);
    }

    [Theory]
    [InlineData("n-signature")]
    [InlineData("standard")]
    public async Task TestReport_ForgesTheSignatureTheListenerReceives_AndReportsWhetherItChecksIt(string choice)
    {
        await using var listener = await TestReceiver.StartAsync();
        var endpoint = listener.Endpoint();
        var tenant = await Server.CreateTenantAsync("Probed");
        using var response = await tenant.Client.PostAsync(Route, Json.Raw(JsonSerializer.Serialize(
            new { uri = endpoint.Uri.ToString(), subscriptions = new[] { "entitlement.created" }, signatures = new[] { choice } })));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await Json.ReadObjectAsync(response);
        var (id, secret) = (created.String("id"), created.String("secret"));
        var modulus = await tenant.Client.ModulusAsync();
        // A listener that checks the one signature it receives, as docs/receiving.md tells it to.
        endpoint.AnswerWith(r => (choice == "standard" ? r.StandardSignatures().Any(s => r.Verifies(s, secret)) : r.HasValidNSignature(modulus)) ? 200 : 401);

        var report = await TestAsync(tenant, id);

        Assert.Equal("verified", report.String("signatureCheck"));
        Assert.Equal(2, endpoint.Received.Count);
        var (real, probe) = (endpoint.Received[0], endpoint.Received[1]);
        Assert.Equal("invalid-signature", probe.Headers[ProbeHeader]);
        await AssertSignedAsAsync(real, [choice], tenant, secret);
        Assert.Equal(choice == "n-signature", probe.Headers.ContainsKey("N-Signature"));
        Assert.Equal(choice == "standard", probe.Headers.ContainsKey("webhook-signature"));
        if (choice == "standard")
        {
            Assert.DoesNotContain(probe.StandardSignatures(), s => probe.Verifies(s, secret));
        }
        else
        {
            Assert.False(probe.HasValidNSignature(modulus));
        }

        // A listener that accepts anything is caught out the same way.
        endpoint.AnswerWith(_ => 200);
        Assert.Equal("notVerified", (await TestAsync(tenant, id)).String("signatureCheck"));
    }

    /// <summary>The request carries exactly the chosen signatures, and each verifies; <c>webhook-id</c> and <c>webhook-timestamp</c> always.</summary>
    private static async Task AssertSignedAsAsync(ReceivedRequest request, string[] chosen, TestTenant tenant, string secret)
    {
        Assert.NotNull(request.WebhookId);
        Assert.True(request.Headers.ContainsKey("webhook-timestamp"));
        var rsa = chosen.Contains("n-signature");
        Assert.Equal(rsa, request.Headers.ContainsKey("N-Signature"));
        Assert.Equal(rsa, request.Headers.ContainsKey("N-Signature-Key-Id"));
        Assert.Equal(chosen.Contains("standard"), request.Headers.ContainsKey("webhook-signature"));
        if (rsa)
        {
            Assert.True(request.HasValidNSignature(await tenant.Client.ModulusAsync()));
        }

        if (chosen.Contains("standard"))
        {
            Assert.True(request.Verifies(Assert.Single(request.StandardSignatures()), secret));
        }
    }

    private static string[] Names(JsonElement listener) => listener.GetProperty("signatures").Strings();

    private static async Task UpdateAsync(TestTenant tenant, string id, object body)
    {
        using var response = await tenant.Client.PutAsync($"{Route}/{id}", Json.Raw(JsonSerializer.Serialize(body)));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private static async Task<JsonElement> TestAsync(TestTenant tenant, string id)
    {
        using var response = await tenant.Client.PostAsync($"{Route}/{id}/test?wait=true", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json.ReadObjectAsync(response);
    }
}
