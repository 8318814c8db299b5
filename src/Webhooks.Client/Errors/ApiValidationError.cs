namespace Webhooks.Client.Errors;

/// <summary>One invalid field of a rejected request: its name as sent (camelCase) and what is wrong with it.</summary>
public sealed record ApiValidationError(string PropertyName, string ErrorMessage);
