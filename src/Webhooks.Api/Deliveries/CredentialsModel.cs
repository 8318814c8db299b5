namespace Webhooks.Api.Deliveries;

/// <summary>The public half of the tenant's <c>N-Signature</c> key, and its id as deliveries name it (<c>N-Signature-Key-Id</c>).</summary>
public sealed record CredentialsModel(string PublicKeyModulus, string PublicKeyExponent, string Kid);
