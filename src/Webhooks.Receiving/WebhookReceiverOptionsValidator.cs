using System.Buffers.Text;
using Microsoft.Extensions.Options;
using Webhooks.Receiving.Verification;

namespace Webhooks.Receiving;

/// <summary>Refuses, at start-up, options with which no delivery could be verified, naming the option to fix.</summary>
internal sealed class WebhookReceiverOptionsValidator : IValidateOptions<WebhookReceiverOptions>
{
    private const int MinimumKeyBits = 2048;

    public ValidateOptionsResult Validate(string? name, WebhookReceiverOptions options)
    {
        List<string> errors = [];
        var required = options.EffectiveSignatures;
        if (required == WebhookSignatures.None)
        {
            errors.Add("WebhookReceiverOptions: set Secrets (webhook-signature), PublicKeyModulus or KeySetUri (N-Signature), or both.");
        }

        if (required.HasFlag(WebhookSignatures.Standard) && options.Secrets.Count == 0)
        {
            errors.Add("WebhookReceiverOptions.Secrets is empty, but the Standard signature is required.");
        }

        if (options.Secrets.Any(s => s is null || StandardSignature.KeyOf(s) is null))
        {
            errors.Add("WebhookReceiverOptions.Secrets: each secret is whsec_ followed by base64, as the API returned it.");
        }

        if (required.HasFlag(WebhookSignatures.Rsa) && options.PublicKeyModulus is null && options.KeySetUri is null)
        {
            errors.Add("WebhookReceiverOptions: N-Signature is required, but neither PublicKeyModulus nor KeySetUri is set.");
        }

        if (options.PublicKeyModulus is not null && options.KeySetUri is not null)
        {
            errors.Add("WebhookReceiverOptions: set PublicKeyModulus (a pinned key) or KeySetUri (the tenant's key set), not both.");
        }

        if (options.PublicKeyModulus is { } modulus && Bits(modulus) < MinimumKeyBits)
        {
            errors.Add($"WebhookReceiverOptions.PublicKeyModulus is not a base64url RSA modulus of at least {MinimumKeyBits} bits.");
        }

        if (Bits(options.PublicKeyExponent) <= 0)
        {
            errors.Add("WebhookReceiverOptions.PublicKeyExponent is not base64url.");
        }

        if (options.KeySetUri is { } uri && (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
        {
            errors.Add("WebhookReceiverOptions.KeySetUri is not an absolute http(s) address.");
        }

        if (options.TimestampTolerance <= TimeSpan.Zero)
        {
            errors.Add("WebhookReceiverOptions.TimestampTolerance must be positive.");
        }

        if (options.KeySetCacheDuration < TimeSpan.Zero || options.KeySetRefreshInterval < TimeSpan.Zero)
        {
            errors.Add("WebhookReceiverOptions.KeySetCacheDuration and KeySetRefreshInterval must not be negative.");
        }

        if (options.MaxBodyBytes <= 0)
        {
            errors.Add("WebhookReceiverOptions.MaxBodyBytes must be positive.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static int Bits(string? base64Url)
    {
        try
        {
            var bytes = base64Url is null ? [] : Base64Url.DecodeFromChars(base64Url);
            return bytes.Length == 0 ? 0 : ((bytes.Length - 1) * 8) + (32 - int.LeadingZeroCount(bytes[0]));
        }
        catch (FormatException)
        {
            return 0;
        }
    }
}
