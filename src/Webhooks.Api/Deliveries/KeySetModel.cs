namespace Webhooks.Api.Deliveries;

/// <summary>A tenant's key set for verifying <c>N-Signature</c>, in the JSON Web Key Set shape (RFC 7517).</summary>
public sealed record KeySetModel(IReadOnlyList<JsonWebKeyModel> Keys);
