using System.Net;
using Webhooks.Api.Tests.Delivery;
using Webhooks.Api.Tests.Infrastructure;

namespace Webhooks.Api.Tests.Catalog;

/// <summary>
/// A catalog whose schema holds patterns that backtrack (an operator's mistake a client can find): a publish whose
/// value, or property name, makes one of them run away is refused with 422 after its timeout,
/// never a 5xx or a request that holds a core for hours, and the server goes on accepting the payloads that match.
/// </summary>
public sealed class PatternTimeoutApiTests(BacktrackingPatternServer server) : ApiTest(server), IClassFixture<BacktrackingPatternServer>
{
    [Fact]
    public async Task Publish_OfStringsThatMakeThePatternsBacktrack_Is422_AndTheServerGoesOnServing()
    {
        var tenant = await Server.CreateTenantAsync("Backtracking patterns");
        // Each character more doubles the work: without a bound, 40 of them take hours to be found not to match.
        var runaway = new string('a', 40) + "!";
        var runawayName = new string('b', 40) + "!";

        using var value = await tenant.Client.PostAsync(DeliveryClient.EventsRoute,
            DeliveryClient.Event(BacktrackingPatternServer.Code, "lic_1", new { serial = runaway }, "value"));
        using var name = await tenant.Client.PostAsync(DeliveryClient.EventsRoute,
            DeliveryClient.Event(BacktrackingPatternServer.Code, "lic_1", new Dictionary<string, string> { [runawayName] = "x" }, "name"));
        using var matching = await tenant.Client.PostAsync(DeliveryClient.EventsRoute,
            DeliveryClient.Event(BacktrackingPatternServer.Code, "lic_1", new Dictionary<string, string> { ["serial"] = "aaaa", ["bbbb"] = "x" }, "matching"));

        foreach (var refused in (HttpResponseMessage[])[value, name])
        {
            var problem = await Problems.AssertValidationProblemAsync(refused, "payload");
            var message = problem.GetProperty("validationErrors")[0].String("errorMessage");
            Assert.Contains("took longer than 100 ms to match", message, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Accepted, matching.StatusCode);
        Assert.Equal(["matching"], await tenant.Client.FeedEventIdsAsync());
    }
}

/// <summary><see cref="EventSchemaServer"/>'s catalog and one more type, whose schema's patterns backtrack on strings they nearly match.</summary>
public sealed class BacktrackingPatternServer : EventSchemaServer
{
    public const string Code = "license.serial.checked";

    public const string Schema = """
        {"type":"object","properties":{"serial":{"type":"string","pattern":"^(a+)+$"}},"patternProperties":{"^(b+)+$":{"type":"string"}}}
        """;

    protected override IEnumerable<KeyValuePair<string, string>> MoreSettings() =>
    [
        new("Webhooks:EventTypes:3:Code", Code),
        new("Webhooks:EventTypes:3:Type", "license"),
        new("Webhooks:EventTypes:3:Description", "A license's serial was checked."),
        new("Webhooks:EventTypes:3:Schema", Schema),
    ];
}
