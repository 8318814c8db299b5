using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;
using Webhooks.Api.Tests.Infrastructure;
using Webhooks.Client.Generated;
using Webhooks.Client.Generated.Models;
using Webhooks.Client.Payloads;
using Webhooks.Testing;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>The publishing, delivery-log and verification calls the delivery tests repeat.</summary>
internal static class DeliveryClient
{
    public const string EventsRoute = "api/v1/events";

    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    public static StringContent Event(string eventCode, string resourceId = "ent_1", object? payload = null, string? eventId = null) =>
        Json.Raw(JsonSerializer.Serialize(new { eventId, eventCode, resourceId, payload }));

    /// <summary>Publishes and returns the 202 body <c>{eventId, matchedWebhooks}</c>.</summary>
    public static async Task<(string EventId, int MatchedWebhooks)> PublishAsync(
        this HttpClient client, string eventCode, string resourceId = "ent_1", object? payload = null, string? eventId = null)
    {
        using var response = await client.PostAsync(EventsRoute, Event(eventCode, resourceId, payload, eventId));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var body = await Json.ReadObjectAsync(response);
        return (body.String("eventId"), body.Int("matchedWebhooks"));
    }

    /// <summary>The ids of the tenant's events in its feed (the first page), in acceptance order.</summary>
    public static async Task<string[]> FeedEventIdsAsync(this HttpClient client)
    {
        using var response = await client.GetAsync(EventsRoute);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await Json.ReadObjectAsync(response)).GetProperty("items").EnumerateArray().Select(e => e.String("eventId"))];
    }

    /// <summary>Publishes through the typed client and returns what the 202 said.</summary>
    public static async Task<(string EventId, int MatchedWebhooks)> PublishAsync(
        this WebhooksApiClient client, string eventCode, string resourceId = "ent_1", object? payload = null, string? eventId = null)
    {
        var accepted = await client.Api.V1.Events.PostAsync(new PublishEventRequest
        {
            EventId = eventId,
            EventCode = eventCode,
            ResourceId = resourceId,
            Payload = payload is null ? null : JsonPayload.From(payload),
        });
        Assert.NotNull(accepted);
        return (accepted.EventId!, accepted.MatchedWebhooks!.Value);
    }

    /// <summary>The first 100 deliveries of a listener's log, through the typed client.</summary>
    public static async Task<PagedResultOfDeliveryModel> DeliveriesAsync(this WebhooksApiClient client, string listenerId)
    {
        var page = await client.Api.V1.Account.Webhooks[listenerId].Deliveries.GetAsync(c => c.QueryParameters.PageSize = 100);
        Assert.NotNull(page);
        return page;
    }

    public static async Task<JsonElement> DeliveriesAsync(this HttpClient client, string listenerId, string query = "?pageSize=100")
    {
        using var response = await client.GetAsync($"{WebhooksClient.Route}/{listenerId}/deliveries{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await Json.ReadObjectAsync(response);
    }

    /// <summary>Polls the delivery log until the delivery of <paramref name="eventId"/> satisfies <paramref name="condition"/>.</summary>
    public static async Task<JsonElement> WaitForDeliveryAsync(this HttpClient client, string listenerId, string eventId, Func<JsonElement, bool> condition)
    {
        using var deadline = new CancellationTokenSource(WaitLimit);
        JsonElement? last = null;
        while (!deadline.IsCancellationRequested)
        {
            var page = await client.DeliveriesAsync(listenerId);
            last = page.GetProperty("items").EnumerateArray().Where(d => d.String("eventId") == eventId).Cast<JsonElement?>().SingleOrDefault();
            if (last is { } delivery && condition(delivery))
            {
                return delivery;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), CancellationToken.None);
        }

        Assert.Fail($"The delivery of {eventId} never reached the expected state; last seen: {last?.GetRawText() ?? "(none)"}");
        return default;
    }

    public static Task<JsonElement> WaitForStatusAsync(this HttpClient client, string listenerId, string eventId, string status) =>
        client.WaitForDeliveryAsync(listenerId, eventId, d => d.String("status") == status);

    public static JsonElement[] Attempts(this JsonElement delivery) => [.. delivery.GetProperty("attempts").EnumerateArray()];

    public static int? StatusCode(this JsonElement attempt) =>
        attempt.GetProperty("statusCode") is { ValueKind: JsonValueKind.Number } code ? code.GetInt32() : null;

    /// <summary>The tenant's public modulus, from the API: all a listener has to verify <c>N-Signature</c> with.</summary>
    public static async Task<string> ModulusAsync(this HttpClient client)
    {
        using var response = await client.GetAsync("api/v1/account/credentials");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await Json.ReadObjectAsync(response);
        Assert.Equal("AQAB", body.String("publicKeyExponent"));
        return body.String("publicKeyModulus");
    }

    /// <summary>The tenant's public modulus through the typed client.</summary>
    public static async Task<string> ModulusAsync(this WebhooksApiClient client)
    {
        var credentials = await client.Api.V1.Account.Credentials.GetAsync();
        Assert.Equal("AQAB", credentials?.PublicKeyExponent);
        return credentials!.PublicKeyModulus!;
    }

    /// <summary>RSA PKCS#1 v1.5 over SHA-256 of the exact body, checked with a key built from the modulus alone.</summary>
    public static bool HasValidNSignature(this ReceivedRequest request, string modulus)
    {
        using var rsa = RSA.Create(new RSAParameters { Modulus = Base64Url.DecodeFromChars(modulus), Exponent = Base64Url.DecodeFromChars("AQAB") });
        Assert.Equal(2048, rsa.KeySize);
        return rsa.VerifyData(request.Body, Convert.FromBase64String(request.Headers["N-Signature"]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    /// <summary>The space-separated Standard Webhooks signatures of a request.</summary>
    public static string[] StandardSignatures(this ReceivedRequest request) => request.Headers["webhook-signature"].Split(' ');

    /// <summary>
    /// Whether <paramref name="signature"/> (one of a request's) verifies with <paramref name="secret"/>, by the
    /// StandardWebhooks package. Its verifier stops at the first signature that does not match, so each is checked alone.
    /// </summary>
    public static bool Verifies(this ReceivedRequest request, string signature, string secret)
    {
        var headers = new HeaderDictionary
        {
            ["webhook-id"] = request.Headers["webhook-id"],
            ["webhook-timestamp"] = request.Headers["webhook-timestamp"],
            ["webhook-signature"] = signature,
        };
        try
        {
            new StandardWebhook(secret).Verify(Encoding.UTF8.GetString(request.Body), headers);
            return true;
        }
        catch (WebhookVerificationException)
        {
            return false;
        }
    }
}
