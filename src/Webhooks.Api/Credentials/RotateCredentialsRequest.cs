namespace Webhooks.Api.Credentials;

/// <summary>The optional body of a key rotation: <c>activateNow</c> switches deliveries to the new key at once (an emergency), not after the activation delay.</summary>
public sealed record RotateCredentialsRequest(bool? ActivateNow = null);
