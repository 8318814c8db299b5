using System.Text.Json.Nodes;
using Webhooks.Api.Credentials;
using Webhooks.Api.Listeners;
using Webhooks.Api.Publishing;
using Webhooks.Api.Tenants;
using Webhooks.Api.Validation;

namespace Webhooks.Server.Document;

/// <summary>An example of each request and response body, in the shape the server reads and writes.</summary>
internal static class SchemaExamples
{
    private const string ListenerId = "wh_q2Vd8hN0RkSx3mYt1bLc7A";
    private const string TenantId = "t_Zk1mQ9rT2vW8xY4pL0nB6g";
    private const string Cursor = "AAAAAAAAAAEAAAAAAAAAAQ";

    private static readonly Dictionary<Type, Func<JsonNode>> Examples = new()
    {
        [typeof(WebhookRequest)] = () => Parse("""{"uri":"https://example.com/webhooks","subscriptions":["entitlement.created","entitlement.activated"],"description":"Billing sync"}"""),
        [typeof(WebhookModel)] = () => Listener(),
        [typeof(CreatedWebhookModel)] = () => Listener("whsec_MfKQ9r3GKfbz5Q2b3dNzT4VfVh0Xk1TjS2Lx2zVq8Yw="),
        [typeof(EventTypeModel)] = () => EventType(),
        [typeof(EventTypeList)] = () => new JsonObject { ["items"] = new JsonArray(EventType()), ["elementsTotal"] = 1 },
        [typeof(AttemptModel)] = () => Attempt(),
        [typeof(DeliveryModel)] = () => Delivery(),
        [typeof(PagedResult<WebhookModel>)] = () => Page(Listener()),
        [typeof(PagedResult<DeliveryModel>)] = () => Page(Delivery()),
        [typeof(RecoverRequest)] = () => Parse("""{"since":"2026-01-15T00:00:00+00:00","until":"2026-01-16T00:00:00+00:00"}"""),
        [typeof(RecoverResult)] = () => Parse("""{"requeued":3}"""),
        [typeof(EnableRequest)] = () => Parse("""{"replayParked":false}"""),
        [typeof(WebhookStatsModel)] = () => Parse($$"""{"lastHour":{"attempts":1180,"succeeded":1174,"successRate":0.9949,"latencyP50Ms":38.5,"latencyP95Ms":142.0},"lastDay":{"attempts":26410,"succeeded":26391,"successRate":0.9993,"latencyP50Ms":35.2,"latencyP95Ms":120.4},"pending":3,"parked":0,"concurrencyLimit":9,"lastError":{"at":"2026-01-15T09:12:03+00:00","eventId":"order-41-created","statusCode":503,"error":"HTTP 503"} }"""),
        [typeof(WebhookTestResultModel)] = () => Parse("""{"eventId":"event_f3Jk9QpL2xVb7Rt0mWc4Zg","statusCode":200,"durationMs":41,"error":null,"responseExcerpt":"ok","signatureCheck":"notVerified"}"""),
        [typeof(SecretModel)] = () => Parse("""{"secret":"whsec_MfKQ9r3GKfbz5Q2b3dNzT4VfVh0Xk1TjS2Lx2zVq8Yw="}"""),
        [typeof(CredentialsModel)] = () => Parse("""{"publicKeyModulus":"u1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0_IzW7yWR7QkrmBL7jTKEn5u-qKhbwKfBstIs-bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW_VDL5AaWTg0nLVkjRo9z-40RQzuVaE8AkAFmxZzow3x-VJYKdjykkJ0iT9wCS0DRTXu269V264Vf_3jvredZiKRkgwlL9xNAwxXFg0x_XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC-9aGVd-Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmw","publicKeyExponent":"AQAB","kid":"oGDmHqCJ7yzMkWEkrlZVHkvrHIyQwtlDmeq5ForUHeY"}"""),
        [typeof(RotateCredentialsRequest)] = () => Parse("""{"activateNow":false}"""),
        [typeof(KeyRotationModel)] = () => Parse("""{"kid":"oGDmHqCJ7yzMkWEkrlZVHkvrHIyQwtlDmeq5ForUHeY","publicKeyModulus":"u1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0_IzW7yWR7QkrmBL7jTKEn5u-qKhbwKfBstIs-bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW_VDL5AaWTg0nLVkjRo9z-40RQzuVaE8AkAFmxZzow3x-VJYKdjykkJ0iT9wCS0DRTXu269V264Vf_3jvredZiKRkgwlL9xNAwxXFg0x_XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC-9aGVd-Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmw","publicKeyExponent":"AQAB","activatesAt":"2026-01-16T09:30:00+00:00","previousKid":"Wq4n2YbV0cJ8kR5tL1xM9pD3fH6sA7eG2uZ0iO4yTqc","previousRetiresAt":"2026-01-23T09:30:00+00:00"}"""),
        [typeof(KeySetModel)] = () => Parse("""{"keys":[{"kty":"RSA","kid":"oGDmHqCJ7yzMkWEkrlZVHkvrHIyQwtlDmeq5ForUHeY","use":"sig","alg":"RS256","n":"u1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0_IzW7yWR7QkrmBL7jTKEn5u-qKhbwKfBstIs-bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW_VDL5AaWTg0nLVkjRo9z-40RQzuVaE8AkAFmxZzow3x-VJYKdjykkJ0iT9wCS0DRTXu269V264Vf_3jvredZiKRkgwlL9xNAwxXFg0x_XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC-9aGVd-Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmw","e":"AQAB"}]}"""),
        [typeof(CreateTenantRequest)] = () => Parse("""{"name":"Acme"}"""),
        [typeof(TenantCreatedModel)] = () => Parse($$"""{"id":"{{TenantId}}","name":"Acme","createdAt":"2026-01-15T09:30:00+00:00","apiKey":"wk.{{TenantId}}.Xy7pQ2rS.8fT3kLm9Qz1vB4nW6cR0dH2jK5sP7aE9"}"""),
        [typeof(TenantModel)] = () => Parse($$"""{"id":"{{TenantId}}","name":"Acme","createdAt":"2026-01-15T09:30:00+00:00","status":"active"}"""),
        [typeof(CreateApiKeyRequest)] = () => Parse("""{"name":"CI deploys"}"""),
        [typeof(ApiKeyModel)] = () => ApiKey(),
        [typeof(ApiKeyCreatedModel)] = () => Parse($$"""{"id":"Xy7pQ2rS","name":"CI deploys","prefix":"wk.{{TenantId}}.Xy7pQ2rS","createdAt":"2026-01-15T09:30:00+00:00","apiKey":"wk.{{TenantId}}.Xy7pQ2rS.8fT3kLm9Qz1vB4nW6cR0dH2jK5sP7aE9"}"""),
        [typeof(ApiKeyListModel)] = () => new JsonObject { ["items"] = new JsonArray(ApiKey()), ["elementsTotal"] = 1 },
        [typeof(PublishEventRequest)] = () => Parse("""{"eventId":"order-42-created","eventCode":"entitlement.created","resourceId":"ent_7Hq2","payload":{"entitlementId":"ent_7Hq2","seats":5}}"""),
        [typeof(PublishEventResponse)] = () => Parse("""{"eventId":"order-42-created","matchedWebhooks":2}"""),
        [typeof(FeedEventModel)] = () => FeedEvent(),
        [typeof(EventFeedModel)] = () => new JsonObject { ["items"] = new JsonArray(FeedEvent()), ["next"] = Cursor },
        [typeof(EventDeliveryModel)] = () => EventDelivery(),
        [typeof(EventModel)] = () =>
        {
            var details = FeedEvent();
            details["acceptedAt"] = "2026-01-15T09:30:00.012+00:00";
            details["matchedWebhooks"] = 1;
            details["deliveries"] = new JsonArray(EventDelivery());
            return details;
        },
    };

    /// <summary>A new example of <paramref name="type"/>'s body, or null for a type that is not a body.</summary>
    public static JsonNode? For(Type type) => Examples.TryGetValue(type, out var example) ? example() : null;

    private static JsonNode Parse(string json) => JsonNode.Parse(json)!;

    private static JsonObject Listener(string? secret = null)
    {
        var listener = (JsonObject)Parse($$"""{"id":"{{ListenerId}}","uri":"https://example.com/webhooks","subscriptions":["entitlement.created","entitlement.activated"],"description":"Billing sync","enabled":true,"disabledReason":null,"createdAt":"2026-01-15T09:30:00+00:00","updatedAt":"2026-01-15T09:30:00+00:00","maxDeliveriesPerSecond":null,"ordering":"none","headers":{"Authorization":"***f3a9"},"signatures":["n-signature","standard"]}""");
        if (secret is not null)
        {
            listener["secret"] = secret;
        }

        return listener;
    }

    private static JsonNode EventType() => Parse("""{"type":"entitlement","code":"entitlement.created","description":"An entitlement was created.","schema":{"type":"object","required":["entitlementId","seats"],"properties":{"entitlementId":{"type":"string"},"seats":{"type":"integer","minimum":1}}},"example":{"entitlementId":"ent_7Hq2","seats":5}}""");

    private static JsonNode Attempt() => Parse("""{"attempt":1,"at":"2026-01-15T09:30:00.020+00:00","statusCode":200,"durationMs":41,"error":null,"responseBody":"ok"}""");

    private static JsonObject Delivery() => new()
    {
        ["eventId"] = "order-42-created",
        ["eventCode"] = "entitlement.created",
        ["status"] = "succeeded",
        ["createdAt"] = "2026-01-15T09:30:00.012+00:00",
        ["nextAttemptAt"] = null,
        ["attempts"] = new JsonArray(Attempt()),
    };

    private static JsonObject Page(JsonNode item) => new() { ["items"] = new JsonArray(item), ["pageSize"] = 20, ["pageNumber"] = 1, ["elementsTotal"] = 1 };

    private static JsonNode ApiKey() => Parse($$"""{"id":"Xy7pQ2rS","name":"CI deploys","prefix":"wk.{{TenantId}}.Xy7pQ2rS","createdAt":"2026-01-15T09:30:00+00:00"}""");

    private static JsonObject FeedEvent() => (JsonObject)Parse($$"""{"eventId":"order-42-created","eventDate":"2026-01-15T09:30:00+00:00","eventCode":"entitlement.created","resourceId":"ent_7Hq2","payload":{"entitlementId":"ent_7Hq2","seats":5},"cursor":"{{Cursor}}"}""");

    private static JsonNode EventDelivery() => Parse($$"""{"webhookListenerId":"{{ListenerId}}","status":"succeeded","attempts":1}""");
}
