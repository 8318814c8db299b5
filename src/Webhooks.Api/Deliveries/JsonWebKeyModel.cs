namespace Webhooks.Api.Deliveries;

/// <summary>One RSA public key of a key set.</summary>
public sealed record JsonWebKeyModel(string Kty, string Kid, string Use, string Alg, string N, string E);
